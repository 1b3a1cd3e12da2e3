using Reelgate.Rendering;

namespace Reelgate.Tests.Rendering;

public class RasterAssetParserTests
{
    [Fact]
    public void RichText_LetterPresets_AreReadWithTheirStyleAndDirection()
    {
        var result = EditParser.Parse(RenderEdits.Mp4(
            """{"asset":{"type":"rich-text","text":"Hi","animation":{"preset":"shift","style":"word","direction":"up","duration":2}},"start":0,"length":3}"""));

        var asset = Assert.IsType<RichTextAsset>(result.Edit!.Timeline.Tracks[0].Clips[0].Asset);
        Assert.Equal(new RichAnimation("shift", 2, "up", "word"), asset.Animation);
    }

    [Fact]
    public void RichText_UnknownPresetOrStyle_IsRefusedNamingTheField()
    {
        var result = EditParser.Parse(RenderEdits.Mp4(
            """{"asset":{"type":"rich-text","text":"Hi","animation":{"preset":"spin"}},"start":0,"length":1}""",
            """{"asset":{"type":"rich-text","text":"Hi","animation":{"preset":"typewriter","style":"line"}},"start":0,"length":1}"""));

        Assert.Contains("timeline.tracks[0].clips[0].asset.animation.preset", result.Errors.Keys);
        Assert.Contains("timeline.tracks[1].clips[0].asset.animation.style", result.Errors.Keys);
    }

    [Fact]
    public void TextAsset_WithTypewriter_IsDrawnAsRichTextThatTypes_KeepingItsFontAndBox()
    {
        var result = EditParser.Parse(RenderEdits.Mp4(
            """{"asset":{"type":"text","text":"Hi","width":300,"height":80,"font":{"size":40,"color":"#ff0000","lineHeight":1.5},"background":{"color":"#000000","padding":10},"alignment":{"horizontal":"left","vertical":"top"},"animation":{"preset":"typewriter","duration":2}},"start":0,"length":3}"""));

        var asset = Assert.IsType<RichTextAsset>(result.Edit!.Timeline.Tracks[0].Clips[0].Asset);
        Assert.Equal(("Hi", 300, 80), (asset.Text, asset.Width!.Value, asset.Height!.Value));
        Assert.Equal((40, "#ff0000", 1.8), (asset.Font.Size, asset.Font.Color, Math.Round(asset.Style.LineHeight, 3)));
        Assert.Equal((10.0, "left", "top"), (asset.Padding.Top, asset.HorizontalAlignment, asset.VerticalAlignment));
        Assert.Equal(new RichAnimation("typewriter", 2, null), asset.Animation);
    }

    [Fact]
    public void TextAsset_AnimationOtherThanTypewriter_IsRefusedNamingThePreset()
    {
        var result = EditParser.Parse(RenderEdits.Mp4("""{"asset":{"type":"text","text":"Hi","animation":{"preset":"ascend"}},"start":0,"length":1}"""));

        Assert.Contains("timeline.tracks[0].clips[0].asset.animation.preset", result.Errors.Keys);
    }

    [Fact]
    public void RichText_FadeIn_BecomesAnOpacityTweenOnTheClip()
    {
        var result = EditParser.Parse(RenderEdits.Mp4("""{"asset":{"type":"rich-text","text":"Hi","animation":{"preset":"fadeIn","duration":0.5}},"start":0,"length":2,"opacity":0.8}"""));

        var opacity = result.Edit!.Timeline.Tracks[0].Clips[0].Opacity;
        Assert.Equal((0, 0.8, 0.5), (opacity.Tweens[0].From, opacity.Tweens[0].To, opacity.Tweens[0].Length!.Value));
    }

    [Fact]
    public void FontSizeAndWeight_SentAsStringsOrNames_AreAccepted()
    {
        var result = EditParser.Parse(RenderEdits.Mp4(
            """{"asset":{"type":"rich-text","text":"Hi","font":{"size":"28","weight":"bold"}},"start":0,"length":1}""",
            """{"asset":{"type":"text","text":"Hi","font":{"size":"30","weight":1200}},"start":0,"length":1}"""));

        Assert.True(result.IsValid, string.Join("; ", result.Errors.Keys));
        var rich = (RichTextAsset)result.Edit!.Timeline.Tracks[0].Clips[0].Asset;
        var text = (TextAsset)result.Edit.Timeline.Tracks[1].Clips[0].Asset;
        Assert.Equal((28, 700, 30, 900), (rich.Font.Size, rich.Font.Weight, text.Font.Size, text.Font.Weight));
    }

    [Fact]
    public void FontSize_NotANumber_IsRefusedWithItsPath()
    {
        var result = EditParser.Parse(RenderEdits.Mp4("""{"asset":{"type":"rich-text","text":"Hi","font":{"size":"big"}},"start":0,"length":1}"""));

        Assert.Contains("timeline.tracks[0].clips[0].asset.font.size", result.Errors.Keys);
    }

    [Theory]
    [InlineData("""{"type":"html","css":"p{}"}""", "asset.html")]
    [InlineData("""{"type":"svg","src":"<div></div>"}""", "asset.src")]
    [InlineData("""{"type":"shape","shape":"circle"}""", "asset.circle")]
    [InlineData("""{"type":"shape","shape":"star","star":{}}""", "asset.shape")]
    public void RasterAsset_MissingOrWrongField_IsRefusedWithItsPath(string asset, string path)
    {
        var result = EditParser.Parse(RenderEdits.Mp4($$"""{"asset":{{asset}},"start":0,"length":1}"""));

        Assert.Contains($"timeline.tracks[0].clips[0].{path}", result.Errors.Keys);
    }
}
