using Reelgate.Rendering;

namespace Reelgate.Tests.Rendering;

/// <summary>html, rich-text, svg and shape clips drawn by Chromium, then sampled in the rendered frame (160×90).</summary>
public class RasterRenderTests(RenderFixture fixture) : IClassFixture<RenderFixture>
{
    private const string Png = """{"format":"png","size":{"width":160,"height":90}}""";

    private static string Still(params string[] clips) =>
        RenderEdits.Edit(Png, "", clips).Replace("\"background\":\"#000000\"", "\"background\":\"#0000ff\"", StringComparison.Ordinal);

    private static string Html(string html, string css, string extra = "", string clipExtra = "") =>
        $$"""{"asset":{"type":"html","html":{{System.Text.Json.JsonSerializer.Serialize(html)}},"css":{{System.Text.Json.JsonSerializer.Serialize(css)}}{{extra}}},"start":0,"length":1{{clipExtra}}}""";

    [Fact]
    public async Task Html_IsDrawnInItsBoxAtThePosition_WithATransparentBackground()
    {
        var output = await fixture.RenderAsync(Still(Html("<div class=\"red\"></div>", ".red{width:20px;height:10px;background:#ff0000}",
            ",\"width\":80,\"height\":40,\"position\":\"topLeft\"")), "png");

        // The 80×40 box is centred on the canvas (40,25)-(120,65); its content sits at the box's top left.
        AssertNear((255, 0, 0), MediaSampler.Pixel(output, 0, 45, 28));
        AssertNear((0, 0, 255), MediaSampler.Pixel(output, 0, 70, 45));
        AssertNear((0, 0, 255), MediaSampler.Pixel(output, 0, 38, 28));
    }

    [Fact]
    public async Task Html_WithBackground_FillsItsWholeBox()
    {
        var output = await fixture.RenderAsync(Still(Html("<p></p>", "", ",\"width\":80,\"height\":40,\"background\":\"#00ff00\"")), "png");

        AssertNear((0, 255, 0), MediaSampler.Pixel(output, 0, 42, 27));
        AssertNear((0, 255, 0), MediaSampler.Pixel(output, 0, 118, 63));
        AssertNear((0, 0, 255), MediaSampler.Pixel(output, 0, 20, 10));
    }

    [Fact]
    public async Task Html_WithBackgroundTransparent_AsShotstacksGalleryWritesIt_ShowsWhatIsBelow()
    {
        var output = await fixture.RenderAsync(Still(Html("<div class=\"red\"></div>", ".red{width:20px;height:10px;background:#ff0000}",
            ",\"width\":80,\"height\":40,\"position\":\"topLeft\",\"background\":\"transparent\"")), "png");

        AssertNear((255, 0, 0), MediaSampler.Pixel(output, 0, 45, 28));
        AssertNear((0, 0, 255), MediaSampler.Pixel(output, 0, 70, 45));
    }

    [Fact]
    public async Task Html_LoadsTheEditsOwnAssets_AndNothingElse()
    {
        var own = Html($"<img src=\"{RenderFixture.Host}red.png\">", "img{display:block}", ",\"width\":160,\"height\":90,\"position\":\"topLeft\"");
        var outside = Html("<img src=\"https://example.com/red.png\" width=\"64\" height=\"36\" style=\"display:block\">", "",
            ",\"width\":160,\"height\":90,\"position\":\"topLeft\"");
        var edit = RenderEdits.Edit(Png, "", $"{own},{outside.Replace("\"start\":0", "\"start\":1", StringComparison.Ordinal)}")
            .Replace("\"background\":\"#000000\"", "\"background\":\"#0000ff\"", StringComparison.Ordinal)
            .Replace(Png, """{"format":"mp4","size":{"width":160,"height":90}}""", StringComparison.Ordinal);

        var output = await fixture.RenderAsync(edit);

        Assert.True(MediaSampler.Pixel(output, 0.5, 30, 18).R > 200, "the Edit's own image is drawn");
        var blocked = MediaSampler.Pixel(output, 1.5, 30, 18);
        Assert.True(blocked.R < 60 && blocked.B > 180, $"an image from elsewhere is never loaded: {blocked}");
    }

    [Fact]
    public async Task Html_EditsDrawnOneAfterAnother_EachLoadOnlyTheirOwnFiles()
    {
        var json = Still(Html($"<img src=\"{RenderFixture.Host}red.png\" width=\"160\" height=\"90\" style=\"display:block\">", "",
            ",\"width\":160,\"height\":90,\"position\":\"topLeft\""));
        var edit = EditParser.Parse(json).Edit!;
        var timeline = TimelineResolver.Resolve(edit, new Dictionary<string, double>());
        var folder = Directory.CreateDirectory(Path.Combine(fixture.Root, $"ahead-{Guid.NewGuid():N}")).FullName;

        async Task<int> RedAsync(IReadOnlyDictionary<string, string> files)
        {
            var drawn = await fixture.Rasterizer.DrawAsync(edit, timeline, files, Directory.CreateTempSubdirectory().FullName, CancellationToken.None);
            var png = Path.Combine(folder, $"{Guid.NewGuid():N}.png");
            File.Copy(drawn.Values.Single().Path, png);
            return MediaSampler.Pixel(png, 0, 80, 45).R;
        }

        // The same browser draws them in turn: what each may load is its own files, never an earlier Edit's.
        Assert.True(await RedAsync(new Dictionary<string, string>()) < 60, "an Edit without the file cannot load it");
        Assert.True(await RedAsync(fixture.Files) > 200, "the next Edit, which has it, loads it");
        Assert.True(await RedAsync(new Dictionary<string, string>()) < 60, "and the one after, without it, cannot reuse it");
    }

    /// <param name="afterAnotherClip">A later clip replaces the page's document in place, and must still get the fonts.</param>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Html_UsesTheTimelineFont(bool afterAnotherClip)
    {
        string Edit(string family)
        {
            var words = Html("<p>WWWW</p>", $"p{{margin:0;font-family:'{family}';font-size:30px;color:#ffffff}}", ",\"width\":160,\"height\":90,\"position\":\"topLeft\"");
            return (afterAnotherClip ? Still(Html("<p></p>", ""), words) : Still(words))
                .Replace("\"tracks\"", $"\"fonts\":[{{\"src\":\"{RenderFixture.Host}Brand.ttf\"}}],\"tracks\"", StringComparison.Ordinal);
        }

        var branded = await fixture.RenderAsync(Edit("Brand"), "png");
        var fallback = await fixture.RenderAsync(Edit("Nothing Like It"), "png");

        Assert.NotEqual(WhiteColumns(branded), WhiteColumns(fallback));
    }

    [Fact]
    public async Task Html_ClipsOfOneEdit_AreEachDrawnInTheirOwnBox()
    {
        var first = Html("<div class=\"red\"></div>", ".red{width:20px;height:10px;background:#ff0000}", ",\"width\":80,\"height\":40,\"position\":\"topLeft\"");
        var second = Html("<div class=\"green\"></div>", ".green{width:10px;height:10px;background:#00ff00}", ",\"width\":40,\"height\":20,\"position\":\"bottomRight\"",
            ",\"position\":\"bottomRight\"");

        var output = await fixture.RenderAsync(Still(first, second), "png");

        // The first box is centred, (40,25)-(120,65), its content top left; the second sits in the canvas's bottom right corner.
        AssertNear((255, 0, 0), MediaSampler.Pixel(output, 0, 45, 28));
        AssertNear((0, 255, 0), MediaSampler.Pixel(output, 0, 155, 85));
        AssertNear((0, 0, 255), MediaSampler.Pixel(output, 0, 125, 75));
    }

    [Fact]
    public async Task Html_ScriptsInThePage_NeverRun()
    {
        var html = "<div id=\"box\"></div><script>document.getElementById('box').style.background = '#ff0000';</script>";

        var output = await fixture.RenderAsync(Still(Html("<p></p>", ""), Html(html, "#box{width:160px;height:90px}", ",\"width\":160,\"height\":90")), "png");

        AssertNear((0, 0, 255), MediaSampler.Pixel(output, 0, 80, 45));
    }

    [Fact]
    public async Task RichText_DrawsStyledTextInsideItsBox()
    {
        const string text = """{"asset":{"type":"rich-text","text":"HELLO","font":{"family":"DejaVu Sans","size":20,"weight":700,"color":"#ffffff"},"background":{"color":"#ff0000","padding":4},"align":{"horizontal":"left","vertical":"top"}},"start":0,"length":1,"width":120,"height":40}""";

        var output = await fixture.RenderAsync(Still(text), "png");

        AssertNear((255, 0, 0), MediaSampler.Pixel(output, 0, 135, 60));
        AssertNear((0, 0, 255), MediaSampler.Pixel(output, 0, 10, 10));
        var white = WhitePixels(output);
        Assert.NotEmpty(white);
        Assert.InRange(white.Min(p => p.X), 20, 40);
        Assert.InRange(white.Max(p => p.X), 40, 110);
        Assert.InRange(white.Min(p => p.Y), 25, 35);
        Assert.InRange(white.Max(p => p.Y), 35, 50);
    }

    [Fact]
    public async Task RichText_FadeIn_StartsTransparentAndEndsOpaque()
    {
        const string text = """{"asset":{"type":"rich-text","text":"X","background":{"color":"#ffffff"},"animation":{"preset":"fadeIn","duration":1}},"start":0,"length":2,"width":160,"height":90}""";

        var output = await fixture.RenderAsync(RenderEdits.Mp4(text));

        Assert.True(MediaSampler.Pixel(output, 0.02, 5, 5).R < 40, "transparent at the start");
        Assert.InRange(MediaSampler.Pixel(output, 0.5, 5, 5).R, 100, 245);
        Assert.True(MediaSampler.Pixel(output, 1.5, 5, 5).R > 230, "opaque once the fade has run");
    }

    [Fact]
    public async Task Pictures_AreDecodedOnceAndHeldForTheClipsLength_NotReadAgainEachFrame()
    {
        var edit = RenderEdits.Mp4(
            Html("<p></p>", "", ",\"width\":40,\"height\":20,\"background\":\"#00ff00\"", ",\"length\":2").Replace("\"length\":1,", "", StringComparison.Ordinal),
            RenderEdits.Image("red.png", 2));

        var plan = await fixture.PlanAsync(edit, "mp4");
        await fixture.Runner.RunAsync(plan, null, CancellationToken.None);

        Assert.DoesNotContain("-loop", plan.Arguments);
        Assert.Equal(2, plan.FilterGraph!.Split("tpad=stop_mode=clone:stop_duration=2,trim=duration=2").Length - 1);
        // Held to the end of the clip: the drawn box over the picture, both still there in the last frame.
        AssertNear((0, 255, 0), MediaSampler.Pixel(plan.OutputPath, 1.95, 80, 45));
        Assert.True(MediaSampler.Pixel(plan.OutputPath, 1.95, 5, 5).R > 200, "the picture is held too");
    }

    [Fact]
    public async Task Svg_IsDrawnAtItsOwnSize()
    {
        const string svg = """{"asset":{"type":"svg","src":"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 40 20'><rect width='40' height='20' fill='#00ff00'/></svg>"},"start":0,"length":1}""";

        var output = await fixture.RenderAsync(Still(svg), "png");

        AssertNear((0, 255, 0), MediaSampler.Pixel(output, 0, 80, 45));
        AssertNear((0, 255, 0), MediaSampler.Pixel(output, 0, 62, 37));
        AssertNear((0, 0, 255), MediaSampler.Pixel(output, 0, 58, 45));
    }

    [Fact]
    public async Task Shape_CircleIsFilledInsideAndTransparentAtItsCorners()
    {
        const string shape = """{"asset":{"type":"shape","shape":"circle","fill":{"color":"#ff0000"},"circle":{"radius":20}},"start":0,"length":1}""";

        var output = await fixture.RenderAsync(Still(shape), "png");

        AssertNear((255, 0, 0), MediaSampler.Pixel(output, 0, 80, 45));
        AssertNear((255, 0, 0), MediaSampler.Pixel(output, 0, 80, 27));
        AssertNear((0, 0, 255), MediaSampler.Pixel(output, 0, 62, 27));
    }

    [Fact]
    public async Task TwentyHtmlClips_UseNoMoreBrowsersThanThePool()
    {
        var clips = Enumerable.Range(0, 20).Select(i => Html($"<p>clip {i}</p>", "p{color:#fff}").Replace("\"start\":0", $"\"start\":{i * 0.1}", StringComparison.Ordinal));
        var edit = RenderEdits.Mp4(string.Join(",", clips));

        await Task.WhenAll(fixture.RenderAsync(edit), fixture.RenderAsync(edit), fixture.RenderAsync(edit));

        Assert.InRange(fixture.Browsers.LaunchedProcessIds.Count, 1, fixture.Browsers.Size);
        Assert.All(fixture.Browsers.LaunchedProcessIds, id => Assert.True(IsRunning(id), "the pool's browsers are long-lived"));
    }

    [Fact]
    public async Task Drawing_PastItsTimeLimit_FailsNamingTheClip()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new RenderingOptions { DrawTimeoutSeconds = 0.001 });
        await using var pool = new ChromiumPool(options, Microsoft.Extensions.Logging.Abstractions.NullLogger<ChromiumPool>.Instance);
        var rasterizer = new ClipRasterizer(pool, options, Microsoft.Extensions.Logging.Abstractions.NullLogger<ClipRasterizer>.Instance);
        var parsed = EditParser.Parse(RenderEdits.Mp4(RenderEdits.Image("red.png"), Html("<p>late</p>", "")));
        var timeline = TimelineResolver.Resolve(parsed.Edit!, new Dictionary<string, double>());

        var error = await Assert.ThrowsAsync<RenderFailedException>(() =>
            rasterizer.DrawAsync(parsed.Edit!, timeline, fixture.Files, fixture.Root, CancellationToken.None));

        Assert.Equal(RenderFailedException.DrawFailed, error.Code);
        Assert.StartsWith("timeline.tracks[1].clips[0]:", error.Message, StringComparison.Ordinal);
    }

    private static void AssertNear((int R, int G, int B) expected, (int R, int G, int B) actual) =>
        Assert.True(Math.Abs(expected.R - actual.R) < 40 && Math.Abs(expected.G - actual.G) < 40 && Math.Abs(expected.B - actual.B) < 40,
            $"expected about {expected}, found {actual}");

    /// <summary>Pixels with a strong green channel: white text, which neither the red nor the blue around it has (chroma is subsampled).</summary>
    private static List<(int X, int Y)> WhitePixels(string path)
    {
        var (bytes, width) = MediaSampler.Rgb(path, 0);
        var found = new List<(int, int)>();
        for (var at = 0; at + 2 < bytes.Length; at += 3)
        {
            if (bytes[at + 1] > 120) found.Add((at / 3 % width, at / 3 / width));
        }
        return found;
    }

    private static string WhiteColumns(string path)
    {
        var white = WhitePixels(path).Select(p => p.X).ToHashSet();
        return string.Concat(Enumerable.Range(0, 160).Select(x => white.Contains(x) ? '1' : '0'));
    }

    private static bool IsRunning(int processId) => Directory.Exists($"/proc/{processId}");
}
