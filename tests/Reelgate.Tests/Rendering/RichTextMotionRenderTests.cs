using Reelgate.Rendering;

namespace Reelgate.Tests.Rendering;

/// <summary>
/// Rich-text presets that move the text a letter or a word at a time, rendered at 160×90 and 25 fps over a blue
/// canvas, then measured by where the white text is at known times.
/// </summary>
public class RichTextMotionRenderTests(RenderFixture fixture) : IClassFixture<RenderFixture>
{
    private static string Edit(string text, string animation, string align = """{"horizontal":"left","vertical":"middle"}""") =>
        RenderEdits.Mp4($$"""
            {"asset":{"type":"rich-text","text":"{{text}}","font":{"family":"DejaVu Sans","size":24,"weight":700,"color":"#ffffff"},
             "align":{{align}},"animation":{{animation}}},"start":0,"length":2,"width":160,"height":90}
            """).Replace("\"background\":\"#000000\"", "\"background\":\"#0000ff\"", StringComparison.Ordinal);

    [Fact]
    public async Task Typewriter_RevealsTheLettersOneAfterAnother_AndKeepsThemInPlace()
    {
        var output = await fixture.RenderAsync(Edit("MMMMMM", """{"preset":"typewriter","duration":1.2}"""));

        var early = Bounds(output, 0.1);
        var middle = Bounds(output, 0.65);
        var done = Bounds(output, 1.6);
        Assert.NotNull(early);
        Assert.NotNull(middle);
        Assert.NotNull(done);
        // One letter of six, then about half, then all: the text grows to the right from the same left edge.
        Assert.InRange(early!.Value.Right - early.Value.Left, 8, 30);
        Assert.InRange(middle!.Value.Right, early.Value.Right + 20, done!.Value.Right - 20);
        Assert.InRange(done.Value.Right - done.Value.Left, 100, 160);
        Assert.InRange(Math.Abs(early.Value.Left - done.Value.Left), 0, 2);
        Assert.InRange(Math.Abs(middle.Value.Top - done.Value.Top), 0, 2);
    }

    [Fact]
    public async Task Typewriter_ByWord_ShowsWholeWordsAtATime()
    {
        var output = await fixture.RenderAsync(Edit("MMM MMM", """{"preset":"typewriter","style":"word","duration":1}"""));

        var first = Bounds(output, 0.2);
        var done = Bounds(output, 1.5);
        Assert.NotNull(first);
        // The first word whole (three letters wide), the second not yet.
        Assert.InRange(first!.Value.Right - first.Value.Left, 45, 75);
        Assert.InRange(done!.Value.Right - done.Value.Left, first.Value.Right - first.Value.Left + 40, 160);
    }

    [Fact]
    public async Task Ascend_RaisesTheWordsIntoPlaceAsTheyFadeIn()
    {
        var output = await fixture.RenderAsync(Edit("HI", """{"preset":"ascend","duration":1}""", """{"horizontal":"center","vertical":"middle"}"""));

        var done = Bounds(output, 1.5)!.Value;
        var rising = Bounds(output, 0.24, threshold: 60);
        Assert.NotNull(rising);
        Assert.True(rising!.Value.Top > done.Top + 2, $"below its place while rising: {rising} against {done}");
        Assert.True(MaxGreen(output, 0.04) < MaxGreen(output, 1.5) - 60, "faint at the start");
    }

    [Fact]
    public async Task Shift_SlidesTheLettersInTheDirectionGiven()
    {
        var fromRight = await fixture.RenderAsync(Edit("I", """{"preset":"shift","direction":"left","duration":1}""", """{"horizontal":"center","vertical":"middle"}"""));
        var fromLeft = await fixture.RenderAsync(Edit("I", """{"preset":"shift","direction":"right","duration":1}""", """{"horizontal":"center","vertical":"middle"}"""));

        var done = Bounds(fromRight, 1.5)!.Value;
        var movingLeft = Bounds(fromRight, 0.2, threshold: 60)!.Value;
        var movingRight = Bounds(fromLeft, 0.2, threshold: 60)!.Value;
        Assert.True(movingLeft.Left > done.Left + 1, $"moving left, it starts to the right: {movingLeft} against {done}");
        Assert.True(movingRight.Left < done.Left - 1, $"moving right, it starts to the left: {movingRight} against {done}");
    }

    [Fact]
    public async Task MovingLetters_BringTheLettersInFromAboveAndBelow()
    {
        var output = await fixture.RenderAsync(Edit("II", """{"preset":"movingLetters","duration":1}""", """{"horizontal":"center","vertical":"middle"}"""));

        var done = Bounds(output, 1.5)!.Value;
        // The first letter moves first, from above; the second follows, from below.
        var first = Bounds(output, 0.1, threshold: 60)!.Value;
        var second = Bounds(output, 0.6, threshold: 60)!.Value;
        Assert.True(first.Top < done.Top - 4, $"the first letter comes from above: {first} against {done}");
        Assert.True(first.Right < (done.Left + done.Right) / 2, $"only the first letter has started: {first} against {done}");
        Assert.True(second.Bottom > done.Bottom + 4, $"the second letter comes from below: {second} against {done}");
    }

    [Fact]
    public async Task TextAsset_Typewriter_TypesItselfOut()
    {
        var edit = RenderEdits.Mp4("""
            {"asset":{"type":"text","text":"MMMMMM","font":{"family":"DejaVu Sans","size":24,"color":"#ffffff"},
             "alignment":{"horizontal":"left","vertical":"center"},"animation":{"preset":"typewriter","duration":1.2}},
             "start":0,"length":2,"width":160,"height":90}
            """).Replace("\"background\":\"#000000\"", "\"background\":\"#0000ff\"", StringComparison.Ordinal);

        var output = await fixture.RenderAsync(edit);

        var early = Bounds(output, 0.1)!.Value;
        var done = Bounds(output, 1.6)!.Value;
        Assert.InRange(early.Right - early.Left, 8, 30);
        Assert.InRange(done.Right - done.Left, 90, 160);
        Assert.InRange(Math.Abs(early.Left - done.Left), 0, 2);
    }

    [Fact]
    public async Task AnimatedText_LastsTheClipsLength_AndHoldsItsFinalFrame()
    {
        var output = await fixture.RenderAsync(Edit("MM", """{"preset":"typewriter","duration":0.4}"""));

        Assert.InRange((await fixture.Probe.ProbeAsync(output, CancellationToken.None)).DurationSeconds, 1.9, 2.1);
        Assert.Equal(Bounds(output, 0.8), Bounds(output, 1.9));
    }

    private readonly record struct Box(int Left, int Top, int Right, int Bottom);

    /// <summary>The box around the frame's text pixels (green above the threshold: the canvas is blue).</summary>
    private static Box? Bounds(string path, double seconds, int threshold = 140)
    {
        var (bytes, width) = MediaSampler.Rgb(path, seconds);
        Box? box = null;
        for (var at = 0; at + 2 < bytes.Length; at += 3)
        {
            if (bytes[at + 1] <= threshold) continue;
            var (x, y) = (at / 3 % width, at / 3 / width);
            box = box is { } b ? new Box(Math.Min(b.Left, x), Math.Min(b.Top, y), Math.Max(b.Right, x), Math.Max(b.Bottom, y)) : new Box(x, y, x, y);
        }
        return box;
    }

    private static int MaxGreen(string path, double seconds)
    {
        var (bytes, _) = MediaSampler.Rgb(path, seconds);
        var max = 0;
        for (var at = 1; at < bytes.Length; at += 3) max = Math.Max(max, bytes[at]);
        return max;
    }
}
