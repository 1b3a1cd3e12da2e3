using System.Globalization;
using System.Text;

namespace Reelgate.Rendering;

/// <summary>Numbers, colours and escaping in ffmpeg filtergraph syntax.</summary>
internal static class FilterSyntax
{
    public static string Num(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);

    public static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Escapes a filter option value for both parsing levels: the option parser (':' '\' '\'')
    /// and the filtergraph parser ('[' ']' ',' ';'), so paths and expressions pass through intact.
    /// </summary>
    public static string Value(string text)
    {
        var option = new StringBuilder();
        foreach (var c in text)
        {
            if (c is '\\' or '\'' or ':')
            {
                option.Append('\\');
            }
            option.Append(c);
        }
        var escaped = option.ToString();
        if (!escaped.Contains('\'', StringComparison.Ordinal))
        {
            return $"'{escaped}'";
        }
        var graph = new StringBuilder();
        foreach (var c in escaped)
        {
            if (c is '\\' or '\'' or '[' or ']' or ',' or ';')
            {
                graph.Append('\\');
            }
            graph.Append(c);
        }
        return graph.ToString();
    }

    /// <summary>Shotstack colours are #RRGGBB or #AARRGGBB (alpha first); ffmpeg wants 0xRRGGBB@alpha.</summary>
    public static string Color(string hex, double opacity = 1)
    {
        var digits = hex.TrimStart('#');
        var alpha = 1.0;
        if (digits.Length == 8)
        {
            alpha = int.Parse(digits[..2], NumberStyles.HexNumber, CultureInfo.InvariantCulture) / 255.0;
            digits = digits[2..];
        }
        return $"0x{digits.ToUpperInvariant()}@{Num(Math.Clamp(alpha * opacity, 0, 1))}";
    }

    public static (int R, int G, int B) Rgb(string hex)
    {
        var digits = hex.TrimStart('#');
        digits = digits.Length == 8 ? digits[2..] : digits;
        int Channel(int at) => int.Parse(digits.AsSpan(at, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return (Channel(0), Channel(2), Channel(4));
    }
}
