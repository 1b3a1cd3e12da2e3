using System.Globalization;
using System.Net;

namespace Reelgate.Rendering;

/// <summary>Writes values into the CSS and HTML of the pages Chromium draws.</summary>
internal static class CssSyntax
{
    public static string Px(double value) => value.ToString("0.###", CultureInfo.InvariantCulture) + "px";

    public static string Num(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>A Shotstack colour (#RRGGBB, or #AARRGGBB with alpha first) times an opacity, as rgba().</summary>
    public static string Rgba(string hex, double opacity = 1)
    {
        var (r, g, b) = FilterSyntax.Rgb(hex);
        var digits = hex.TrimStart('#');
        var alpha = digits.Length == 8 ? int.Parse(digits[..2], NumberStyles.HexNumber, CultureInfo.InvariantCulture) / 255.0 : 1;
        return $"rgba({r},{g},{b},{Num(Math.Clamp(alpha * opacity, 0, 1))})";
    }

    /// <summary>A family name as a single-quoted CSS string, safe inside a double-quoted style attribute too.</summary>
    public static string Family(string family) =>
        "'" + new string([.. family.Where(c => c is not ('\'' or '"' or '\\' or '<' or '>' or '&'))]) + "'";

    public static string Text(string text) => WebUtility.HtmlEncode(text);

    /// <summary>CSS text placed in a style element: "&lt;/style" cannot close it.</summary>
    public static string StyleSheet(string css) => css.Replace("</", "<\\/", StringComparison.Ordinal);

    public static string Document(int width, int height, string fontFaces, string css, string body) =>
        $$"""
        <!DOCTYPE html><html><head><meta charset="utf-8">
        <style>{{fontFaces}}
        html,body{margin:0;padding:0;background:transparent;overflow:hidden;width:{{width}}px;height:{{height}}px}
        body{font-family:"DejaVu Sans",sans-serif}
        #reelgate-box{box-sizing:border-box;width:{{width}}px;height:{{height}}px;overflow:hidden;display:flex}</style>
        <style>{{StyleSheet(css)}}</style>
        </head><body>{{body}}</body></html>
        """;

    /// <summary>Flex alignment that puts the content at one of Shotstack's nine positions inside its box.</summary>
    public static string Placement(string position) =>
        $"justify-content:{Horizontal(position)};align-items:{Vertical(position)}";

    private static string Horizontal(string position) => position switch
    {
        "left" or "topLeft" or "bottomLeft" => "flex-start",
        "right" or "topRight" or "bottomRight" => "flex-end",
        _ => "center",
    };

    private static string Vertical(string position) => position switch
    {
        "top" or "topLeft" or "topRight" => "flex-start",
        "bottom" or "bottomLeft" or "bottomRight" => "flex-end",
        _ => "center",
    };
}
