using Reelgate.Rendering;

namespace Reelgate.Tests.Rendering;

public sealed class EditParserForwardingTests
{
    private const string Html = """
        {"timeline": {"tracks": [{"clips": [
            {"asset": {"type": "html5", "html": "<p>Hi</p>", "js": "1"}, "start": 0, "length": 2},
            {"asset": {"type": "text-to-image", "prompt": "a cat", "width": 512, "height": 512}, "start": 0, "length": 2},
            {"asset": {"type": "title", "text": "Hi"}, "start": 0, "length": 2, "scale": [{"from": 1, "to": 2, "start": 0, "length": 2}], "transform": {"skew": {"x": 0.1}}}]}]},
         "output": {"format": "mp4", "resolution": "sd"}}
        """;

    [Fact]
    public void ForwardedEdit_AcceptsAssetsAndFeaturesOnlyShotstackRenders()
    {
        var parsed = EditParser.ParseForForwarding(Html);

        Assert.True(parsed.IsValid, string.Join("; ", parsed.Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
        var clips = parsed.Edit!.Timeline.Tracks[0].Clips;
        Assert.Equal("html5", Assert.IsType<ForwardedAsset>(clips[0].Asset).Type);
        Assert.Equal("text-to-image", Assert.IsType<ForwardedAsset>(clips[1].Asset).Type);
    }

    [Fact]
    public void LocalEdit_RefusesTheAssetsOnlyShotstackDraws_ButDrawsSkewAndAnimatedScale()
    {
        var parsed = EditParser.Parse(Html);

        Assert.False(parsed.IsValid);
        Assert.Contains("timeline.tracks[0].clips[0].asset.type", parsed.Errors.Keys);
        Assert.DoesNotContain(parsed.Errors.Keys, key => key.StartsWith("timeline.tracks[0].clips[2]", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"timeline": {"tracks": [{"clips": [{"asset": {"type": "html", "html": "x"}, "start": 0, "length": 1}]}]}}""", "output")]
    [InlineData("""{"timeline": {"tracks": [{"clips": [{"asset": {"type": "movie", "src": "x"}, "start": 0, "length": 1}]}]}, "output": {"format": "mp4", "resolution": "sd"}}""", "timeline.tracks[0].clips[0].asset.type")]
    [InlineData("""{"timeline": {"tracks": [{"clips": [{"asset": {"type": "html", "html": "x"}, "start": 0, "length": -1}]}]}, "output": {"format": "mp4", "resolution": "sd"}}""", "timeline.tracks[0].clips[0].length")]
    [InlineData("""{"timeline": {"tracks": [{"clips": [{"asset": {"type": "html", "html": "x"}, "start": 0, "length": 1, "speed": 2}]}]}, "output": {"format": "mp4", "resolution": "sd"}}""", "timeline.tracks[0].clips[0].speed")]
    public void ForwardedEdit_StillFailsTheSchemaChecks(string json, string path)
    {
        var parsed = EditParser.ParseForForwarding(json);

        Assert.False(parsed.IsValid);
        Assert.Contains(path, parsed.Errors.Keys);
    }
}
