namespace Reelgate.Rendering;

/// <summary>
/// Breaks text into lines that fit a width. drawtext neither wraps nor aligns lines, so lines are laid out
/// here with an average glyph advance of 0.6 em, which suits DejaVu Sans and most text faces.
/// </summary>
internal static class TextLayout
{
    public const double AverageAdvance = 0.6;

    public static List<string> Wrap(string text, double maxWidth, int fontSize, int maxLines = int.MaxValue, string? ellipsis = null)
    {
        var perLine = Math.Max(1, (int)(maxWidth / (fontSize * AverageAdvance)));
        var lines = new List<string>();
        foreach (var paragraph in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            var line = "";
            foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = line.Length == 0 ? word : $"{line} {word}";
                if (candidate.Length <= perLine || line.Length == 0)
                {
                    line = candidate;
                    continue;
                }
                lines.Add(line);
                line = word;
            }
            lines.Add(line);
        }
        if (lines.Count > maxLines && maxLines > 0)
        {
            lines = lines.Take(maxLines).ToList();
            if (ellipsis is not null)
            {
                var last = lines[^1];
                var room = Math.Max(0, perLine - ellipsis.Length);
                lines[^1] = (last.Length > room ? last[..room] : last) + ellipsis;
            }
        }
        return lines;
    }
}
