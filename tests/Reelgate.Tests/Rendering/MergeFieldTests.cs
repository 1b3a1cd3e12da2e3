using Reelgate.Rendering;

namespace Reelgate.Tests.Rendering;

public class MergeFieldTests
{
    private static string WithMerge(string clip, string merge) =>
        EditJson.WithClips(clip)[..^1] + $",\"merge\":{merge}}}";

    [Fact]
    public void Merge_WholeStringPlaceholder_TakesTheReplacementsNumberType()
    {
        var json = WithMerge(EditJson.Image(length: "\"{{ LENGTH }}\""), """[{"find":"LENGTH","replace":2.5}]""");

        var result = EditParser.Parse(json);

        Assert.True(result.IsValid);
        Assert.Equal(ClipTime.At(2.5), result.Edit!.Timeline.Tracks[0].Clips[0].Length);
    }

    [Fact]
    public void Merge_PlaceholderInsideText_IsReplacedAsText()
    {
        var clip = """{"asset":{"type":"title","text":"Hello {{NAME}}!"},"start":0,"length":1}""";

        var result = EditParser.Parse(WithMerge(clip, """[{"find":"NAME","replace":"Ada"}]"""));

        Assert.Equal("Hello Ada!", ((TitleAsset)result.Edit!.Timeline.Tracks[0].Clips[0].Asset).Text);
    }

    [Fact]
    public void Merge_NumberReplacementInsideText_IsWrittenInvariantly()
    {
        var clip = """{"asset":{"type":"title","text":"{{ PRICE }} EUR"},"start":0,"length":1}""";

        var result = EditParser.Parse(WithMerge(clip, """[{"find":"PRICE","replace":1.5}]"""));

        Assert.Equal("1.5 EUR", ((TitleAsset)result.Edit!.Timeline.Tracks[0].Clips[0].Asset).Text);
    }

    [Fact]
    public void Merge_UnknownPlaceholder_IsLeftAsWritten()
    {
        var clip = """{"asset":{"type":"title","text":"{{ OTHER }}"},"start":0,"length":1}""";

        var result = EditParser.Parse(WithMerge(clip, """[{"find":"NAME","replace":"Ada"}]"""));

        Assert.Equal("{{ OTHER }}", ((TitleAsset)result.Edit!.Timeline.Tracks[0].Clips[0].Asset).Text);
    }

    [Fact]
    public void Merge_ReplacementOfTheWrongType_FailsValidationAfterMerging()
    {
        var json = WithMerge(EditJson.Image(length: "\"{{ LENGTH }}\""), """[{"find":"LENGTH","replace":"long"}]""");

        var result = EditParser.Parse(json);

        Assert.Equal([ValueReaders.LengthRule], result.Errors["timeline.tracks[0].clips[0].length"]);
    }

    [Fact]
    public void Merge_FieldWithoutFind_IsRejected()
    {
        var result = EditParser.Parse(WithMerge(EditJson.Image(), """[{"replace":1}]"""));

        Assert.True(result.Errors.ContainsKey("merge[0].find"));
    }

    [Fact]
    public void Merge_KeepsTheMergedJsonForEchoing()
    {
        var clip = """{"asset":{"type":"title","text":"{{NAME}}"},"start":0,"length":1}""";

        var result = EditParser.Parse(WithMerge(clip, """[{"find":"NAME","replace":"Ada"}]"""));

        Assert.Contains("\"text\":\"Ada\"", result.MergedJson, StringComparison.Ordinal);
    }

    /// <summary>A title whose text sits inside seven objects and arrays: the root, timeline, tracks, a track, clips, a clip, its asset.</summary>
    private static string TitleWithMerge(string text, string merge) =>
        WithMerge($$"""{"asset":{"type":"title","text":"{{text}}"},"start":0,"length":1}""", merge);

    private static string Nested(int depth) => new string('[', depth) + new string(']', depth);

    [Fact]
    public void Merge_ThatNestsPastTheMaximumDepth_IsRefusedNamingMerge()
    {
        var json = TitleWithMerge("{{ DEEP }}", $$"""[{"find":"DEEP","replace":{{Nested(58)}}}]""");

        var result = EditParser.Parse(json);

        Assert.Null(result.Edit);
        Assert.Contains("64", Assert.Single(result.Errors["merge"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_ThatNestsExactlyToTheMaximumDepth_IsMergedAndThenValidated()
    {
        var json = TitleWithMerge("{{ DEEP }}", $$"""[{"find":"DEEP","replace":{{Nested(57)}}}]""");

        var result = EditParser.Parse(json);

        Assert.False(result.Errors.ContainsKey("merge"));
        Assert.True(result.Errors.ContainsKey("timeline.tracks[0].clips[0].asset.text"));
    }

    [Fact]
    public void Merge_ThatExpandsPastTheLimit_IsRefusedNamingMergeAndTheLimit()
    {
        var json = TitleWithMerge(string.Concat(Enumerable.Repeat("{{ NAME }}", 100)), $$"""[{"find":"NAME","replace":"{{new string('x', 200)}}"}]""");

        var result = EditParser.Parse(json, new RenderLimits(MaxMergedBytes: 10_000));

        Assert.Null(result.Edit);
        Assert.Contains("10000 bytes", Assert.Single(result.Errors["merge"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_ThatStaysWithinTheLimit_IsAccepted()
    {
        var json = TitleWithMerge(string.Concat(Enumerable.Repeat("{{ NAME }}", 10)), $$"""[{"find":"NAME","replace":"{{new string('x', 200)}}"}]""");

        var result = EditParser.Parse(json, new RenderLimits(MaxMergedBytes: 10_000));

        Assert.True(result.IsValid, string.Join("; ", result.Errors.Keys));
        Assert.Equal(2000, ((TitleAsset)result.Edit!.Timeline.Tracks[0].Clips[0].Asset).Text.Length);
    }

    private static string JsonArray(int count, string item) => "[" + string.Join(",", Enumerable.Repeat(item, count)) + "]";

    public static TheoryData<string, string> Pathological => new()
    {
        // About 140 KB that would grow to 500 MB: ten strings of a thousand placeholders for 50 KB of text each.
        { JsonArray(10, "\"" + string.Concat(Enumerable.Repeat("{{ BIG }}", 1_000)) + "\""), "\"" + new string('x', 50_000) + "\"" },
        // Whole-string placeholders take the replacement's type: ten thousand of them for a 50 KB object each.
        { JsonArray(10_000, "\"{{ BIG }}\""), $$"""{"items":{{JsonArray(50, "\"" + new string('x', 1_000) + "\"")}}}""" },
    };

    [Theory]
    [MemberData(nameof(Pathological))]
    public void Merge_ThatWouldExpandEnormously_IsRefusedWithoutBuildingTheExpansion(string extra, string replace)
    {
        var json = EditJson.WithClips(EditJson.Image())[..^1] + $$$""","extra":{{{extra}}},"merge":[{"find":"BIG","replace":{{{replace}}}}]}""";
        var before = GC.GetAllocatedBytesForCurrentThread();

        var result = EditParser.Parse(json);

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.StartsWith("expands the Edit past 2097152 bytes", Assert.Single(result.Errors["merge"]), StringComparison.Ordinal);
        Assert.True(allocated < 32L * 1024 * 1024, $"allocated {allocated:N0} bytes");
    }
}
