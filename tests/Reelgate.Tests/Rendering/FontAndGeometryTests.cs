using Reelgate.Rendering;

namespace Reelgate.Tests.Rendering;

public class FontAndGeometryTests
{
    private const string DejaVu = "/usr/share/fonts/truetype/dejavu";

    [Fact]
    public void FontCatalog_FamilyFromTheNameTable_PicksTheClosestWeight()
    {
        var catalog = FontCatalog.Create(DejaVu, []);

        Assert.Equal($"{DejaVu}/DejaVuSerif-Bold.ttf", catalog.Resolve("DejaVu Serif", 700));
        Assert.Equal($"{DejaVu}/DejaVuSerif.ttf", catalog.Resolve("dejavu serif", 400));
    }

    [Fact]
    public void FontCatalog_UnknownFamily_FallsBackToDejaVuSans()
    {
        var catalog = FontCatalog.Create(DejaVu, []);

        Assert.Equal($"{DejaVu}/DejaVuSans.ttf", catalog.Resolve("Comic Sans MS", 400));
    }

    [Fact]
    public void FontCatalog_CustomFont_WinsOverTheSystemFontOfTheSameFamily()
    {
        var custom = $"{DejaVu}/DejaVuSansMono.ttf";
        var catalog = FontCatalog.Create(DejaVu, [custom]);

        Assert.Equal(custom, catalog.Resolve("DejaVuSansMono", 700));
    }

    [Theory]
    [InlineData("hd", "16:9", 1280, 720)]
    [InlineData("hd", "9:16", 720, 1280)]
    [InlineData("1080", "1:1", 1080, 1080)]
    [InlineData("sd", "4:5", 576, 720)]
    [InlineData("mobile", "4:3", 480, 360)]
    public void OutputGeometry_ResolutionAndAspectRatio_GiveTheFrameSize(string resolution, string aspect, int width, int height)
    {
        Assert.Equal((width, height), OutputGeometry.Preset(resolution, aspect));
    }

    [Fact]
    public void OutputGeometry_Preview_DefaultsTo15Fps()
    {
        var output = new Output("mp4", "preview", "16:9", null, null, "medium", null, null, null, false, true, null);

        Assert.Equal((512, 288, 15d), (OutputGeometry.For(output).Width, OutputGeometry.For(output).Height, OutputGeometry.For(output).Fps));
    }

    [Fact]
    public void EditAssets_Urls_ListsAssetsSoundtrackAndFontsOnce()
    {
        var json = EditJson.WithClips(EditJson.Image(), EditJson.Image(start: "1"))
            .Replace("\"tracks\"", "\"soundtrack\":{\"src\":\"https://example.com/s.mp3\"},\"fonts\":[{\"src\":\"https://example.com/f.ttf\"}],\"tracks\"", StringComparison.Ordinal);

        var edit = EditParser.Parse(json).Edit!;

        Assert.Equal(["https://example.com/a.png", "https://example.com/s.mp3", "https://example.com/f.ttf"], EditAssets.Urls(edit));
        Assert.Equal(["https://example.com/a.png", "https://example.com/s.mp3"], EditAssets.MediaUrls(edit));
    }
}
