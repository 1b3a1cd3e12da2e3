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
}
