namespace Reelgate.Rendering;

/// <summary>
/// Maps a font family and weight to a font file. A font matches by the family name in its name table
/// or by its file name without extension; fonts listed in timeline.fonts win over the system directory.
/// An unknown family falls back to DejaVu Sans, as Shotstack falls back silently to its default.
/// </summary>
internal sealed class FontCatalog
{
    public const string DefaultFamily = "DejaVu Sans";

    private readonly List<FontFile> _fonts;

    private FontCatalog(List<FontFile> fonts) => _fonts = fonts;

    public static FontCatalog Create(string systemDirectory, IEnumerable<string> customFontPaths)
    {
        var fonts = customFontPaths.Select(path => Describe(path, custom: true)).ToList();
        if (Directory.Exists(systemDirectory))
        {
            fonts.AddRange(Directory.EnumerateFiles(systemDirectory)
                .Where(path => path.EndsWith(".ttf", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".otf", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal)
                .Select(path => Describe(path, custom: false)));
        }
        return new FontCatalog(fonts);
    }

    public string? Resolve(string family, int weight, bool italic = false)
    {
        var candidates = Matching(family);
        if (candidates.Count == 0)
        {
            candidates = Matching(DefaultFamily);
        }
        return candidates
            .OrderBy(font => font.Custom ? 0 : 1)
            .ThenBy(font => Math.Abs(font.Weight - weight) + (font.Italic == italic ? 0 : 1000))
            .Select(font => font.Path)
            .FirstOrDefault() ?? _fonts.Select(font => font.Path).FirstOrDefault();
    }

    private List<FontFile> Matching(string family) =>
        [.. _fonts.Where(font => string.Equals(font.Family, family, StringComparison.OrdinalIgnoreCase)
            || string.Equals(font.FileName, family, StringComparison.OrdinalIgnoreCase))];

    private static FontFile Describe(string path, bool custom)
    {
        var names = FontNameReader.Read(path);
        var style = names?.Style ?? "Regular";
        return new FontFile(path, names?.Family ?? "", Path.GetFileNameWithoutExtension(path), WeightOf(style),
            style.Contains("Italic", StringComparison.OrdinalIgnoreCase) || style.Contains("Oblique", StringComparison.OrdinalIgnoreCase),
            custom);
    }

    public static int WeightOf(string style) => style switch
    {
        _ when style.Contains("ExtraLight", StringComparison.OrdinalIgnoreCase) => 200,
        _ when style.Contains("Light", StringComparison.OrdinalIgnoreCase) => 300,
        _ when style.Contains("SemiBold", StringComparison.OrdinalIgnoreCase) => 600,
        _ when style.Contains("ExtraBold", StringComparison.OrdinalIgnoreCase) => 800,
        _ when style.Contains("Bold", StringComparison.OrdinalIgnoreCase) => 700,
        _ when style.Contains("Black", StringComparison.OrdinalIgnoreCase) => 900,
        _ => 400,
    };

    private sealed record FontFile(string Path, string Family, string FileName, int Weight, bool Italic, bool Custom);
}
