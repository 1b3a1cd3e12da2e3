using Reelgate.Rendering;

namespace Reelgate.Tests.Rendering;

public class TimelineResolverTests
{
    private const string A = "https://example.com/a.mp4";
    private const string B = "https://example.com/b.mp4";
    private static readonly Dictionary<string, double> Durations = new() { [A] = 4, [B] = 2.5 };

    private static Edit Parse(string json)
    {
        var result = EditParser.Parse(json);
        Assert.True(result.IsValid, string.Join("; ", result.Errors.Select(e => $"{e.Key}: {string.Join(",", e.Value)}")));
        return result.Edit!;
    }

    [Fact]
    public void Resolve_AutoStartAndLength_ChainsClipsAtTheirMediaDuration()
    {
        var edit = Parse(EditJson.WithClips(EditJson.Video(A, start: "\"auto\""), EditJson.Video(B, start: "\"auto\"")));

        var timeline = TimelineResolver.Resolve(edit, Durations);

        Assert.True(timeline.IsValid);
        Assert.Equal([(0d, 4d), (4d, 2.5d)], timeline.Clips.Select(c => (c.Start, c.Length)));
        Assert.Equal(6.5, timeline.TotalSeconds);
    }

    [Fact]
    public void Resolve_AutoLength_SubtractsTrimAndDividesBySpeed()
    {
        var clip = """{"asset":{"type":"video","src":"https://example.com/a.mp4","trim":1,"speed":2},"start":0,"length":"auto"}""";

        var timeline = TimelineResolver.Resolve(Parse(EditJson.WithClips(clip)), Durations);

        Assert.Equal(1.5, timeline.Clips[0].Length);
    }

    [Fact]
    public void Resolve_AutoLengthOfAPausedVideo_IsAStillsLength()
    {
        var clip = """{"asset":{"type":"video","src":"https://example.com/a.mp4","trim":1,"speed":0},"start":0,"length":"auto"}""";

        var timeline = TimelineResolver.Resolve(Parse(EditJson.WithClips(clip)), Durations);

        Assert.Equal(TimelineResolver.StillAutoSeconds, timeline.Clips[0].Length);
    }

    [Fact]
    public void Resolve_AutoLengthOfAnImage_IsThreeSeconds()
    {
        var timeline = TimelineResolver.Resolve(Parse(EditJson.WithClips(EditJson.Image(length: "\"auto\""))), Durations);

        Assert.Equal(3, timeline.Clips[0].Length);
    }

    [Fact]
    public void Resolve_EndLength_RunsToTheEndOfTheOtherClips()
    {
        var edit = Parse(EditJson.WithTracks(
            $"{{\"clips\":[{EditJson.Image(start: "1", length: "\"end\"")}]}}",
            $"{{\"clips\":[{EditJson.Image(start: "0", length: "5")}]}}"));

        var timeline = TimelineResolver.Resolve(edit, Durations);

        Assert.Equal(4, timeline.Clips[0].Length);
        Assert.Equal(5, timeline.TimelineSeconds);
    }

    [Fact]
    public void Resolve_EndLengthOfAShortVideo_StopsWhenTheVideoEnds()
    {
        var edit = Parse(EditJson.WithTracks(
            $"{{\"clips\":[{EditJson.Video(B, length: "\"end\"")}]}}",
            $"{{\"clips\":[{EditJson.Image(start: "0", length: "5")}]}}"));

        var timeline = TimelineResolver.Resolve(edit, Durations);

        Assert.Equal(2.5, timeline.Clips[0].Length);
    }

    [Fact]
    public void Resolve_AliasReferences_CopyStartAndLength()
    {
        var edit = Parse(EditJson.WithTracks(
            $"{{\"clips\":[{EditJson.Image(start: "2", length: "3", extra: ",\"alias\":\"intro\"")}]}}",
            $"{{\"clips\":[{EditJson.Image(start: "\"alias://intro\"", length: "\"alias://intro\"")}]}}"));

        var timeline = TimelineResolver.Resolve(edit, Durations);

        Assert.Equal((2d, 3d), (timeline.Clips[1].Start, timeline.Clips[1].Length));
    }

    [Fact]
    public void Parse_UnknownAlias_IsAnErrorAtTheReferencingField()
    {
        var result = EditParser.Parse(EditJson.WithClips(EditJson.Image(start: "\"alias://nobody\"")));

        Assert.Equal(["refers to unknown alias 'nobody'"], result.Errors["timeline.tracks[0].clips[0].start"]);
    }

    [Fact]
    public void Parse_CircularAliases_AreRejected()
    {
        var json = EditJson.WithClips(
            EditJson.Image(start: "\"alias://b\"", extra: ",\"alias\":\"a\""),
            EditJson.Image(start: "\"alias://a\"", extra: ",\"alias\":\"b\""));

        var result = EditParser.Parse(json);

        Assert.Contains(result.Errors, e => e.Key.EndsWith(".start", StringComparison.Ordinal) && e.Value[0].StartsWith("is circular", StringComparison.Ordinal));
    }

    [Fact]
    public void Resolve_OutputRange_CutsTheTotal()
    {
        var json = EditJson.WithClips(EditJson.Image(length: "5")).Replace(EditJson.Output,
            """{"format":"mp4","resolution":"sd","range":{"start":1,"length":2}}""", StringComparison.Ordinal);

        var timeline = TimelineResolver.Resolve(Parse(json), Durations);

        Assert.Equal((1d, 2d), (timeline.RangeStart, timeline.TotalSeconds));
    }

    [Fact]
    public void Resolve_MissingMediaDuration_IsAnError()
    {
        var edit = Parse(EditJson.WithClips(EditJson.Video("https://example.com/unknown.mp4")));

        var timeline = TimelineResolver.Resolve(edit, Durations);

        Assert.False(timeline.IsValid);
        Assert.Contains("unknown.mp4 is unknown", timeline.Errors["timeline"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_MediaLongerThanTheLimit_IsRejected()
    {
        var edit = Parse(EditJson.WithClips(EditJson.Video(A)));

        var timeline = TimelineResolver.Resolve(edit, new Dictionary<string, double> { [A] = 900 });

        Assert.Equal(["renders 900 s, more than the maximum of 600 s"], timeline.Errors["timeline"]);
    }

    [Fact]
    public void Resolve_StillOutput_HasNoBillableSeconds()
    {
        var json = EditJson.WithClips(EditJson.Image(length: "5")).Replace("\"mp4\"", "\"jpg\"", StringComparison.Ordinal);

        var timeline = TimelineResolver.Resolve(Parse(json), Durations);

        Assert.True(timeline.IsStill);
        Assert.Equal(0, timeline.TotalSeconds);
    }
}
