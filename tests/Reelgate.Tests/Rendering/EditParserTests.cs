using Reelgate.Rendering;

namespace Reelgate.Tests.Rendering;

public class EditParserTests
{
    [Fact]
    public void Parse_MinimalEdit_ReadsDefaults()
    {
        var result = EditParser.Parse(EditJson.WithClips(EditJson.Image()));

        Assert.True(result.IsValid, string.Join("; ", result.Errors.Select(e => $"{e.Key}: {string.Join(",", e.Value)}")));
        var clip = result.Edit!.Timeline.Tracks[0].Clips[0];
        Assert.Equal("crop", clip.Fit);
        Assert.Equal("center", clip.Position);
        Assert.Equal(1, clip.Opacity.Value);
        Assert.Equal("#000000", result.Edit.Timeline.Background);
        Assert.Equal("medium", result.Edit.Output.Quality);
        Assert.IsType<ImageAsset>(clip.Asset);
    }

    [Fact]
    public void Parse_UnknownClipProperty_ReportsItAtItsPath()
    {
        var result = EditParser.Parse(EditJson.WithClips(EditJson.Image(extra: ",\"colour\":\"red\"")));

        Assert.Null(result.Edit);
        Assert.Equal(["is not an allowed property"], result.Errors["timeline.tracks[0].clips[0].colour"]);
    }

    [Fact]
    public void Parse_LengthAsNumericString_IsATypeError()
    {
        var result = EditParser.Parse(EditJson.WithClips(EditJson.Image(length: "\"5.2\"")));

        Assert.Equal([ValueReaders.LengthRule], result.Errors["timeline.tracks[0].clips[0].length"]);
        Assert.Contains("greater than 0", ValueReaders.LengthRule);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("0")]
    public void Parse_NonPositiveLength_IsRejected(string length)
    {
        var result = EditParser.Parse(EditJson.WithClips(EditJson.Image(length: length)));

        Assert.True(result.Errors.ContainsKey("timeline.tracks[0].clips[0].length"));
    }

    [Fact]
    public void Parse_NegativeStart_IsRejectedWithTheRule()
    {
        var result = EditParser.Parse(EditJson.WithClips(EditJson.Image(start: "-0.5")));

        Assert.Equal([ValueReaders.StartRule], result.Errors["timeline.tracks[0].clips[0].start"]);
    }

    [Theory]
    [InlineData("0", true)]
    [InlineData("10", true)]
    [InlineData("-0.5", false)]
    [InlineData("10.5", false)]
    public void Parse_VideoSpeed_AcceptsShotstacksRangeFromPausedToTenTimes(string speed, bool accepted)
    {
        var clip = EditJson.Video("https://example.com/a.mp4", extra: "").Replace("\"src\"", $"\"speed\":{speed},\"src\"");

        var result = EditParser.Parse(EditJson.WithClips(clip));

        Assert.Equal(accepted, result.Edit is not null);
        if (!accepted) Assert.Equal(["must be a number from 0 to 10"], result.Errors["timeline.tracks[0].clips[0].asset.speed"]);
    }

    [Fact]
    public void Parse_WrongJsonType_NamesTheExpectedType()
    {
        var result = EditParser.Parse(EditJson.WithClips(EditJson.Image(extra: ",\"opacity\":\"half\"")));

        Assert.Equal(["must be a number from 0 to 1"], result.Errors["timeline.tracks[0].clips[0].opacity"]);
    }

    [Fact]
    public void Parse_EnumValueOutsideTheSchema_ListsTheAllowedValues()
    {
        var result = EditParser.Parse(EditJson.WithClips(EditJson.Image(extra: ",\"fit\":\"fill\"")));

        Assert.Equal(["must be one of: cover, contain, crop, none"], result.Errors["timeline.tracks[0].clips[0].fit"]);
    }

    [Fact]
    public void Parse_Html5Asset_IsRejectedAsUnsupportedLocally()
    {
        var clip = """{"asset":{"type":"html5","html":"<p>hi</p>","js":"go()"},"start":0,"length":1}""";

        var result = EditParser.Parse(EditJson.WithClips(clip));

        Assert.Equal(["'html5' is not supported by the local renderer"], result.Errors["timeline.tracks[0].clips[0].asset.type"]);
        Assert.Single(result.Errors);
    }

    [Fact]
    public void Parse_UnknownAssetType_ListsTheSchemaTypes()
    {
        var clip = """{"asset":{"type":"hologram"},"start":0,"length":1}""";

        var result = EditParser.Parse(EditJson.WithClips(clip));

        Assert.StartsWith("must be one of: video, image", result.Errors["timeline.tracks[0].clips[0].asset.type"][0]);
    }

    [Fact]
    public void Parse_NoTracks_IsRejected()
    {
        var result = EditParser.Parse(EditJson.WithTracks());

        Assert.Equal(["must contain at least one item"], result.Errors["timeline.tracks"]);
    }

    [Fact]
    public void Parse_TrackWithoutClips_IsRejected()
    {
        var result = EditParser.Parse(EditJson.WithTracks("{\"clips\":[]}"));

        Assert.Equal(["must contain at least one item"], result.Errors["timeline.tracks[0].clips"]);
    }

    [Fact]
    public void Parse_TimelineLongerThanTheLimit_IsRejectedAtTimeline()
    {
        var result = EditParser.Parse(EditJson.WithClips(EditJson.Image(start: "590", length: "20")));

        Assert.Equal(["renders 610 s, more than the maximum of 600 s"], result.Errors["timeline"]);
    }

    [Fact]
    public void Parse_TooManyTracksForTheLimits_IsRejected()
    {
        var json = EditJson.WithTracks($"{{\"clips\":[{EditJson.Image()}]}}", $"{{\"clips\":[{EditJson.Image()}]}}");

        var result = EditParser.Parse(json, new RenderLimits(MaxTracks: 1));

        Assert.Equal(["must contain at most 1 tracks"], result.Errors["timeline.tracks"]);
    }

    [Fact]
    public void Parse_SrcThatIsNotHttp_IsRejected()
    {
        var clip = """{"asset":{"type":"image","src":"file:///etc/passwd"},"start":0,"length":1}""";

        var result = EditParser.Parse(EditJson.WithClips(clip));

        Assert.Equal(["must be an http or https URL"], result.Errors["timeline.tracks[0].clips[0].asset.src"]);
    }

    [Fact]
    public void Parse_OutputWithoutResolutionOrSize_IsRejected()
    {
        var json = EditJson.WithClips(EditJson.Image()).Replace(EditJson.Output, """{"format":"mp4"}""", StringComparison.Ordinal);

        var result = EditParser.Parse(json);

        Assert.Equal(["must include resolution or size unless format is mp3"], result.Errors["output"]);
    }

    [Fact]
    public void Parse_OddOutputWidth_IsRejected()
    {
        var json = EditJson.WithClips(EditJson.Image())
            .Replace(EditJson.Output, """{"format":"mp4","size":{"width":161,"height":90}}""", StringComparison.Ordinal);

        var result = EditParser.Parse(json);

        Assert.Equal(["must be divisible by 2"], result.Errors["output.size.width"]);
    }

    [Fact]
    public void Parse_MalformedJson_ReportsAtTheRootWithoutThrowing()
    {
        var result = EditParser.Parse("{\"timeline\": {\"tracks\": [1e999");

        Assert.Null(result.Edit);
        Assert.StartsWith("is not valid JSON", result.Errors["$"][0]);
    }

    [Fact]
    public void Parse_HugeNumber_IsAMalformedNumber()
    {
        var result = EditParser.Parse(EditJson.WithClips(EditJson.Image(start: "1e999")));

        Assert.True(result.Errors.ContainsKey("timeline.tracks[0].clips[0].start"));
    }

    [Fact]
    public void Parse_TweenedOpacity_KeepsTheKeyframes()
    {
        var opacity = ""","opacity":[{"from":0,"to":1,"start":0,"length":0.5},{"from":1,"to":0.2,"start":0.5,"length":0.5,"interpolation":"bezier","easing":"easeInOutSine"}]""";

        var result = EditParser.Parse(EditJson.WithClips(EditJson.Image(extra: opacity)));

        Assert.True(result.IsValid);
        var tweens = result.Edit!.Timeline.Tracks[0].Clips[0].Opacity.Tweens;
        Assert.Equal(2, tweens.Count);
        Assert.Equal("easeInOutSine", tweens[1].Easing);
    }

    [Theory]
    [InlineData("{\"timeline\":{},\"timeline\":{}}")]
    [InlineData("[1,2]")]
    [InlineData("")]
    [InlineData("{\"timeline\":{\"tracks\":[{\"clips\":[null,1,\"x\",{}]}]},\"output\":{\"format\":\"mp4\",\"size\":{\"width\":null}}}")]
    [InlineData("{\"merge\":[{\"find\":\"A\",\"replace\":{\"x\":1}}],\"timeline\":\"{{A}}\",\"output\":{}}")]
    public void Parse_BadDocuments_ReportErrorsWithoutThrowing(string json)
    {
        var result = EditParser.Parse(json);

        Assert.Null(result.Edit);
        Assert.NotEmpty(result.Errors);
    }

    [Theory]
    [InlineData("#F0a", "#FF00aa")]
    [InlineData("#ff00AA", "#ff00AA")]
    [InlineData("#80ff0000", "#80ff0000")]
    [InlineData("transparent", "#00000000")]
    [InlineData("Transparent", "#00000000")]
    public void Parse_HexColour_InAnyCaseOrShorthand_IsReadAsCssReadsIt(string colour, string read)
    {
        var json = EditJson.WithClips(EditJson.Image()).Replace("\"timeline\":{", $"\"timeline\":{{\"background\":\"{colour}\",");

        var result = EditParser.Parse(json);

        Assert.True(result.IsValid, string.Join("; ", result.Errors.Select(e => $"{e.Key}: {string.Join(",", e.Value)}")));
        Assert.Equal(read, result.Edit!.Timeline.Background);
    }

    [Theory]
    [InlineData("#ff00")]
    [InlineData("red")]
    [InlineData("#ggg")]
    public void Parse_ColourThatIsNotHex_NamesItsPathAndTheForms(string colour)
    {
        var json = EditJson.WithClips(EditJson.Image()).Replace("\"timeline\":{", $"\"timeline\":{{\"background\":\"{colour}\",");

        var result = EditParser.Parse(json);

        Assert.Equal(["must be a hex colour such as #RGB, #RRGGBB or #AARRGGBB, or transparent"], result.Errors["timeline.background"]);
    }

    [Fact]
    public void Parse_SkewAndAnimatedScale_AreRead()
    {
        var extra = ",\"scale\":[{\"from\":0.5,\"to\":1,\"start\":0}],\"transform\":{\"skew\":{\"x\":0.2,\"y\":[{\"from\":0,\"to\":-0.3,\"start\":0}]}}";
        var result = EditParser.Parse(EditJson.WithClips(EditJson.Image(extra: extra)));

        Assert.True(result.IsValid, string.Join("; ", result.Errors.Select(e => $"{e.Key}: {string.Join(",", e.Value)}")));
        var clip = result.Edit!.Timeline.Tracks[0].Clips[0];
        Assert.True(clip.Scale!.IsTweened);
        Assert.Equal(0.2, clip.Transform.SkewX!.Value);
        Assert.Equal(-0.3, clip.Transform.SkewY!.Tweens[0].To);
    }

    [Theory]
    [InlineData(",\"transform\":{\"skew\":{\"x\":101}}", "timeline.tracks[0].clips[0].transform.skew.x")]
    [InlineData(",\"transform\":{\"skew\":{\"z\":1}}", "timeline.tracks[0].clips[0].transform.skew.z")]
    [InlineData(",\"scale\":0", "timeline.tracks[0].clips[0].scale")]
    [InlineData(",\"scale\":[{\"from\":-1,\"to\":1,\"start\":0}]", "timeline.tracks[0].clips[0].scale[0].from")]
    public void Parse_BadSkewOrScale_NamesItsPath(string extra, string path)
    {
        var result = EditParser.Parse(EditJson.WithClips(EditJson.Image(extra: extra)));

        Assert.True(result.Errors.ContainsKey(path), string.Join("; ", result.Errors.Keys));
    }

    [Theory]
    [InlineData("shotstack", true)]
    [InlineData("s3", true)]
    [InlineData("mux", false)]
    public void Parse_Destinations_OurStoreStandsForShotstackAndS3_OthersAreNamed(string provider, bool accepted)
    {
        var json = EditJson.WithClips(EditJson.Image()).Replace("\"resolution\":\"sd\"}", $"\"resolution\":\"sd\",\"destinations\":[{{\"provider\":\"{provider}\"}}]}}");

        var result = EditParser.Parse(json);

        Assert.Equal(accepted, result.IsValid);
        Assert.Equal(!accepted, result.Errors.ContainsKey("output.destinations[0].provider"));
        Assert.True(EditParser.ParseForForwarding(json).IsValid);
    }
}
