using Reelgate.Rendering;
using static Reelgate.Tests.Rendering.RenderEdits;

namespace Reelgate.Tests.Rendering;

public class FfmpegRenderTests(RenderFixture fixture) : IClassFixture<RenderFixture>
{
    [Fact]
    public async Task Render_Mp4_HasTheRequestedSizeRateDurationAndStreams()
    {
        var output = await fixture.RenderAsync(Mp4(Video("clip.mp4", length: "1")));

        var info = await fixture.Probe.ProbeAsync(output, CancellationToken.None);
        Assert.Equal((160, 90), (info.Width, info.Height));
        Assert.Equal(25, info.Fps, 1);
        Assert.InRange(info.DurationSeconds, 0.95, 1.1);
        Assert.True(info.HasVideo && info.HasAudio);
    }

    [Fact]
    public async Task Render_AVideoFillingTheFrameThroughout_IsTheCanvas_AndLooksTheSameAsOverABackground()
    {
        const string box = """{"asset":{"type":"image","src":"https://media.test/red.png"},"start":0.2,"length":0.5,"fit":"none"}""";
        var filling = Mp4(box.Replace("https://media.test/", RenderFixture.Host, StringComparison.Ordinal), Video("clip.mp4", length: "1"));
        // An offset of a ten-thousandth of the frame, under a pixel, keeps the background canvas under the same picture.
        var overBackground = filling.Replace("\"length\":1}", "\"length\":1,\"offset\":{\"x\":0.0001}}", StringComparison.Ordinal);

        var plan = await fixture.PlanAsync(filling, "mp4");
        await fixture.Runner.RunAsync(plan, null, CancellationToken.None);
        var reference = await fixture.RenderAsync(overBackground);

        Assert.DoesNotContain("color=c=", plan.FilterGraph!, StringComparison.Ordinal);
        Assert.InRange((await fixture.Probe.ProbeAsync(plan.OutputPath, CancellationToken.None)).DurationSeconds, 0.95, 1.1);
        foreach (var seconds in new[] { 0.1, 0.4, 0.9 })
        {
            var (a, width) = MediaSampler.Rgb(plan.OutputPath, seconds);
            var (b, _) = MediaSampler.Rgb(reference, seconds);
            Assert.Equal(b.Length, a.Length);
            Assert.True(a.AsSpan().SequenceEqual(b), $"the frames at {seconds} s differ");
            Assert.Equal(160, width);
        }
    }

    [Fact]
    public async Task Render_APlainTitle_IsDrawnOntoThePictureWhileItRuns_LookingAsOnALayer()
    {
        const string title = """{"asset":{"type":"title","text":"HELLO","size":"x-large","background":"#ff0000","offset":{"y":[{"from":0,"to":0.2,"start":0,"length":1}]}},"start":0.5,"length":1}""";
        var inPlace = Mp4(title, Image("blue.png", 2));
        // An offset under a pixel puts the same title on a layer of its own.
        var layered = Mp4(title.Replace("\"start\":0.5,\"length\":1}", "\"start\":0.5,\"length\":1,\"offset\":{\"x\":0.0001}}", StringComparison.Ordinal), Image("blue.png", 2));

        var plan = await fixture.PlanAsync(inPlace, "mp4");
        await fixture.Runner.RunAsync(plan, null, CancellationToken.None);
        var reference = await fixture.RenderAsync(layered);

        Assert.DoesNotContain("0x000000@0", plan.FilterGraph!, StringComparison.Ordinal);
        Assert.Contains("0x000000@0", (await fixture.PlanAsync(layered, "mp4")).FilterGraph!, StringComparison.Ordinal);
        foreach (var seconds in new[] { 0.2, 0.6, 1.0, 1.4, 1.8 })
        {
            var (a, _) = MediaSampler.Rgb(plan.OutputPath, seconds);
            var (b, _) = MediaSampler.Rgb(reference, seconds);
            var differing = a.Zip(b).Count(p => Math.Abs(p.First - p.Second) > 24);
            Assert.True(differing < a.Length / 200, $"{differing} of {a.Length} values differ at {seconds} s");
        }
        // Shown only while it runs: its red box at 1 s, the blue picture before and after.
        Assert.True(MediaSampler.Pixel(plan.OutputPath, 0.2, 80, 45).B > 200, "before the title");
        Assert.True(MediaSampler.Pixel(plan.OutputPath, 1.8, 80, 45).B > 200, "after the title");
        Assert.Contains(Enumerable.Range(0, 90), y => MediaSampler.Pixel(plan.OutputPath, 1.0, 80, y) is { R: > 200, B: < 60 });
    }

    [Fact]
    public async Task Render_AVideoShorterThanTheRender_LeavesTheBackgroundAfterItEnds()
    {
        // The source lasts 2 s; the clip asks for 3, so the last second shows the background.
        var edit = Mp4(Video("clip.mp4", length: "3")).Replace("\"background\":\"#000000\"", "\"background\":\"#00ff00\"", StringComparison.Ordinal);

        var plan = await fixture.PlanAsync(edit, "mp4");
        await fixture.Runner.RunAsync(plan, null, CancellationToken.None);

        Assert.Contains("color=c=", plan.FilterGraph!, StringComparison.Ordinal);
        var (r, g, b) = MediaSampler.Pixel(plan.OutputPath, 2.6, 80, 45);
        Assert.True(g > 200 && r < 60 && b < 60, $"expected the green background, got {r},{g},{b}");
    }

    [Fact]
    public async Task Render_FirstTrack_CoversTheTracksBelow()
    {
        var output = await fixture.RenderAsync(Mp4(Image("white.png"), Image("blue.png")));

        var (r, g, b) = MediaSampler.Pixel(output, 0.5, 80, 45);
        Assert.True(r > 230 && g > 230 && b > 230, $"expected white, got {r},{g},{b}");
    }

    [Fact]
    public async Task Render_HalfOpacity_BlendsWithTheTrackBelow()
    {
        var output = await fixture.RenderAsync(Mp4(Image("white.png", extra: ",\"opacity\":0.5"), Image("blue.png")));

        var (r, _, b) = MediaSampler.Pixel(output, 0.5, 80, 45);
        Assert.InRange(r, 100, 160);
        Assert.True(b > 230, $"blue stays, got {b}");
    }

    [Fact]
    public async Task Render_PositionTopLeft_PutsAnUnscaledImageInTheCorner()
    {
        var output = await fixture.RenderAsync(Mp4(Image("red.png", extra: ",\"fit\":\"none\",\"position\":\"topLeft\"")));

        Assert.True(MediaSampler.Pixel(output, 0.5, 10, 10).R > 200);
        Assert.True(MediaSampler.Pixel(output, 0.5, 150, 80).R < 40);
    }

    [Fact]
    public async Task Render_Offset_MovesRightAndUpByFractionsOfTheCanvas()
    {
        var output = await fixture.RenderAsync(Mp4(Image("red.png", extra: ",\"fit\":\"none\",\"offset\":{\"x\":0.25,\"y\":0.25}")));

        Assert.True(MediaSampler.Pixel(output, 0.5, 120, 22).R > 200);
        Assert.True(MediaSampler.Pixel(output, 0.5, 80, 60).R < 40);
    }

    [Fact]
    public async Task Render_FadeIn_StartsDarkAndEndsBright()
    {
        var output = await fixture.RenderAsync(Mp4(Image("white.png", 2, ",\"transition\":{\"in\":\"fade\"}")));

        Assert.True(MediaSampler.Pixel(output, 0.04, 80, 45).R < 60);
        Assert.True(MediaSampler.Pixel(output, 1.5, 80, 45).R > 230);
    }

    [Fact]
    public async Task Render_SlideLeftIn_EntersFromTheRight()
    {
        var output = await fixture.RenderAsync(Mp4(Image("white.png", 2, ",\"transition\":{\"in\":\"slideLeft\"}")));

        Assert.True(MediaSampler.Pixel(output, 0.3, 20, 45).R < 40, "the left side is still uncovered");
        Assert.True(MediaSampler.Pixel(output, 0.3, 150, 45).R > 200, "the right side is covered");
    }

    [Fact]
    public async Task Render_GreyscaleFilter_RemovesColour()
    {
        var output = await fixture.RenderAsync(Mp4(Image("blue.png", extra: ",\"filter\":\"greyscale\"")));

        var (r, g, b) = MediaSampler.Pixel(output, 0.5, 80, 45);
        Assert.True(Math.Abs(r - b) < 20 && Math.Abs(g - b) < 20, $"expected grey, got {r},{g},{b}");
    }

    [Fact]
    public async Task Render_ShorthandBackgroundColour_FillsTheFrameWithItsLongForm()
    {
        var title = """{"asset":{"type":"title","text":" "},"start":0,"length":1}""";
        var output = await fixture.RenderAsync(Mp4(title).Replace("\"background\":\"#000000\"", "\"background\":\"#0F0\""));

        var (r, g, b) = MediaSampler.Pixel(output, 0.5, 10, 10);
        Assert.True(g > 200 && r < 60 && b < 60, $"expected green, got {r},{g},{b}");
    }

    [Fact]
    public async Task Render_AnimatedScale_GrowsTheClipAboutItsCentre()
    {
        var grow = ",\"fit\":\"none\",\"scale\":[{\"from\":0.25,\"to\":1,\"start\":0,\"length\":2}]";
        var output = await fixture.RenderAsync(Mp4(Image("red.png", 2, grow)));

        Assert.True(MediaSampler.Pixel(output, 0.1, 80, 45).R > 200, "the centre is covered from the start");
        Assert.True(MediaSampler.Pixel(output, 0.1, 55, 45).R < 60, "the small clip does not reach x=55 yet");
        Assert.True(MediaSampler.Pixel(output, 1.9, 55, 45).R > 200, "the grown clip reaches x=55");
        Assert.True(MediaSampler.Pixel(output, 1.9, 30, 45).R < 60, "it never grows past its full size");
    }

    [Fact]
    public async Task Render_AnimatedScale_AtTopLeft_ShrinksTowardsTheCorner()
    {
        var shrink = ",\"fit\":\"none\",\"position\":\"topLeft\",\"scale\":[{\"from\":1,\"to\":0.25,\"start\":0,\"length\":2}]";
        var output = await fixture.RenderAsync(Mp4(Image("red.png", 2, shrink)));

        Assert.True(MediaSampler.Pixel(output, 0.1, 40, 20).R > 200);
        Assert.True(MediaSampler.Pixel(output, 1.9, 40, 20).R < 60);
        Assert.True(MediaSampler.Pixel(output, 1.9, 5, 5).R > 200, "the shrunk clip stays in the corner");
    }

    [Fact]
    public async Task Render_SkewX_ShearsTheTopLeftAndTheBottomRight()
    {
        var output = await fixture.RenderAsync(Mp4(Image("red.png", extra: ",\"fit\":\"none\",\"transform\":{\"skew\":{\"x\":0.5}}")));

        // 64x36 at the centre spans x 48-112; a shear of 0.5 moves its top row 9 px left and its bottom row 9 px right.
        Assert.True(MediaSampler.Pixel(output, 0.5, 42, 29).R > 200, "top row moved left");
        Assert.True(MediaSampler.Pixel(output, 0.5, 108, 29).R < 60, "top right corner left empty");
        Assert.True(MediaSampler.Pixel(output, 0.5, 118, 61).R > 200, "bottom row moved right");
        Assert.True(MediaSampler.Pixel(output, 0.5, 52, 61).R < 60, "bottom left corner left empty");
    }

    [Fact]
    public async Task Render_AnimatedSkew_ShearsMoreAsItRuns()
    {
        var skew = ",\"fit\":\"none\",\"transform\":{\"skew\":{\"x\":[{\"from\":0,\"to\":0.5,\"start\":0,\"length\":2}]}}";
        var output = await fixture.RenderAsync(Mp4(Image("red.png", 2, skew)));

        Assert.True(MediaSampler.Pixel(output, 0.1, 108, 29).R > 200, "not yet sheared");
        Assert.True(MediaSampler.Pixel(output, 1.9, 108, 29).R < 60, "sheared by the end");
    }

    [Fact]
    public async Task Render_Caption_BurnsEachCueInAtTheBottomOnlyWhileItRuns()
    {
        var caption = """{"asset":{"type":"caption","src":"https://media.test/words.srt","font":{"size":20,"color":"#ffffff"},"background":{"color":"#ff0000","padding":4}},"start":0,"length":3}""";
        var output = await fixture.RenderAsync(Mp4(caption));

        Assert.True(BrightRows(output, 0.5).Any(row => row > 60), "the first cue is drawn in the lower part of the frame");
        Assert.True(BrightRows(output, 0.5).All(row => row > 45), "nothing is drawn in the upper half");
        Assert.Empty(BrightRows(output, 1.5));
        Assert.NotEmpty(BrightRows(output, 2.5));
        var (r, g, b) = MediaSampler.Pixel(output, 0.5, 80, BrightRows(output, 0.5).Max());
        Assert.True(r > 150 || g > 150, $"the cue's box or text is at its row: {r},{g},{b}");
    }

    /// <summary>The rows of a frame (160 wide) holding any bright or red pixel.</summary>
    private static List<int> BrightRows(string output, double seconds)
    {
        var (bytes, width) = MediaSampler.Rgb(output, seconds);
        var rows = new List<int>();
        for (var y = 0; y < bytes.Length / (width * 3); y++)
        {
            if (Enumerable.Range(0, width).Any(x => bytes[(y * width + x) * 3] > 150)) rows.Add(y);
        }
        return rows;
    }

    [Fact]
    public async Task Render_LumaMatte_HidesTheClipWhereTheMatteIsBlack()
    {
        var luma = """{"asset":{"type":"luma","src":"https://media.test/halves.png"},"start":0,"length":1}""";
        var output = await fixture.RenderAsync(Mp4($"{Image("white.png")},{luma}", Image("blue.png")));

        Assert.True(MediaSampler.Pixel(output, 0.5, 20, 45).B > 200 && MediaSampler.Pixel(output, 0.5, 20, 45).R < 60);
        Assert.True(MediaSampler.Pixel(output, 0.5, 140, 45).R > 200);
    }

    [Fact]
    public async Task Render_LumaMatte_OnATextBoxOfOddSize_MasksIt()
    {
        var box = """{"asset":{"type":"text","text":"","width":41,"height":41,"background":{"color":"#ff0000"}},"start":0,"length":1,"position":"center"}""";
        var luma = """{"asset":{"type":"luma","src":"https://media.test/halves.png"},"start":0,"length":1}""";
        var output = await fixture.RenderAsync(Mp4($"{box},{luma}", Image("blue.png")));

        var shown = MediaSampler.Pixel(output, 0.5, 92, 45);
        var hidden = MediaSampler.Pixel(output, 0.5, 68, 45);
        Assert.True(shown.R > 200 && shown.B < 80, $"the matte's white half shows the box: {shown}");
        Assert.True(hidden.B > 200 && hidden.R < 60, $"the matte's black half hides it: {hidden}");
    }

    [Fact]
    public async Task Render_PausedVideo_HoldsTheFrameAtItsTrimPoint_InSilence()
    {
        var paused = await fixture.RenderAsync(Mp4(Video("clip.mp4", length: "1", assetExtra: ",\"speed\":0,\"trim\":0.4")));
        var playing = await fixture.RenderAsync(Mp4(Video("clip.mp4", length: "1", assetExtra: ",\"trim\":0.4")));

        static double Change(string path) =>
            MediaSampler.Rgb(path, 0.1).Bytes.Zip(MediaSampler.Rgb(path, 0.8).Bytes).Average(p => Math.Abs(p.First - p.Second));
        Assert.True(Change(paused) < 2, $"the paused picture changed by {Change(paused):0.0} per channel");
        Assert.True(Change(playing) > 5, $"the playing picture changed by only {Change(playing):0.0} per channel");
        var info = await fixture.Probe.ProbeAsync(paused, CancellationToken.None);
        Assert.InRange(info.DurationSeconds, 0.95, 1.1);
        Assert.True(MediaSampler.MeanVolume(playing, 0.2, 0.6) > -40, "the playing clip is heard");
        Assert.False(info.HasAudio, "the paused clip, the only one, leaves the output without sound");
    }

    [Fact]
    public async Task Render_SoundtrackFadeIn_StartsQuiet()
    {
        var soundtrack = ""","soundtrack":{"src":"https://media.test/tone.mp3","effect":"fadeIn"}""";
        var output = await fixture.RenderAsync(Edit(SmallMp4, soundtrack, Image("blue.png", 3)));

        var start = MediaSampler.MeanVolume(output, 0, 0.25);
        var later = MediaSampler.MeanVolume(output, 2, 0.5);
        Assert.True(start < later - 10, $"start {start} dB, later {later} dB");
    }

    [Fact]
    public async Task Render_MergedTitle_DrawsTheReplacementText()
    {
        var title = """{"asset":{"type":"title","text":"{{ NAME }}","size":"x-large"},"start":0,"length":1}""";
        var json = Mp4(title)[..^1] + ""","merge":[{"find":"NAME","replace":"Ada"}]}""";

        var plan = await fixture.PlanAsync(json, "mp4");
        await fixture.Runner.RunAsync(plan, null, CancellationToken.None);

        Assert.Equal(["Ada"], plan.Files.Select(f => f.Content));
        Assert.True(MediaSampler.MaxBrightness(plan.OutputPath, 0.5) > 200);
    }

    [Fact]
    public async Task Render_Range_CutsTheDuration()
    {
        var output = await fixture.RenderAsync(Edit("""{"format":"mp4","size":{"width":160,"height":90},"range":{"start":1,"length":1}}""", "", Image("blue.png", 3)));

        var info = await fixture.Probe.ProbeAsync(output, CancellationToken.None);
        Assert.InRange(info.DurationSeconds, 0.95, 1.1);
    }

    [Theory]
    [InlineData("jpg", "jpeg_pipe", false)]
    [InlineData("png", "png_pipe", false)]
    [InlineData("gif", "gif", false)]
    [InlineData("mp3", "mp3", true)]
    public async Task Render_OtherFormats_AreWhatTheyClaim(string format, string formatName, bool audioOnly)
    {
        var output = await fixture.RenderAsync(Edit($$"""{"format":"{{format}}","size":{"width":160,"height":90},"fps":12}""", "", Video("clip.mp4", length: "1")), format);

        var info = await fixture.Probe.ProbeAsync(output, CancellationToken.None);
        Assert.Equal(formatName, info.FormatName);
        Assert.Equal(!audioOnly, info.HasVideo);
        Assert.Equal(audioOnly, info.HasAudio);
    }

    [Theory]
    [InlineData("webm", "vp9", "opus")]
    [InlineData("mov", "h264", "aac")]
    public async Task Render_WebmAndMov_CarryTheirCodecsThePictureAndTheSound(string format, string videoCodec, string audioCodec)
    {
        var soundtrack = ""","soundtrack":{"src":"https://media.test/tone.mp3"}""";
        var output = await fixture.RenderAsync(Edit($$"""{"format":"{{format}}","size":{"width":160,"height":90},"fps":25}""", soundtrack, Image("blue.png")), format);

        var info = await fixture.Probe.ProbeAsync(output, CancellationToken.None);
        Assert.Contains(format, info.FormatName.Split(','));
        var codecs = await MediaSampler.CodecsAsync(output);
        Assert.Equal([videoCodec, audioCodec], codecs);
        var (r, _, b) = MediaSampler.Pixel(output, 0.5, 80, 45);
        Assert.True(b > 200 && r < 60, $"expected blue, got {r},{b}");
    }

    [Fact]
    public async Task Render_PosterAndThumbnail_AreWrittenNextToTheOutput()
    {
        var output = """{"format":"mp4","size":{"width":160,"height":90},"poster":{"capture":0.5},"thumbnail":{"capture":0.5,"scale":0.5}}""";
        var plan = await fixture.PlanAsync(Edit(output, "", Image("blue.png")), "mp4");

        await fixture.Runner.RunAsync(plan, null, CancellationToken.None);

        var thumbnail = await fixture.Probe.ProbeAsync(plan.FollowUps.Single(p => p.Kind == "thumbnail").OutputPath, CancellationToken.None);
        Assert.Equal((80, 44), (thumbnail.Width, thumbnail.Height));
        Assert.True(File.Exists(plan.FollowUps.Single(p => p.Kind == "poster").OutputPath));
    }
}
