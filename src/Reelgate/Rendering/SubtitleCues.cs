using System.Globalization;
using System.Text.RegularExpressions;

namespace Reelgate.Rendering;

/// <summary>One timed line of a subtitle file, in seconds from the file's start.</summary>
public sealed record SubtitleCue(double Start, double End, string Text);

/// <summary>Reads SRT and WebVTT cues: the timing line and the text under it; VTT settings, tags, notes and styles are left out.</summary>
public static partial class SubtitleCues
{
    public const int MaxCues = 5000;

    public static IReadOnlyList<SubtitleCue> Parse(string text)
    {
        var cues = new List<SubtitleCue>();
        var blocks = BlockBreak().Split(text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').TrimStart('\uFEFF'));
        foreach (var block in blocks)
        {
            var lines = block.Split('\n', StringSplitOptions.TrimEntries);
            var timing = Array.FindIndex(lines, line => line.Contains("-->", StringComparison.Ordinal));
            if (timing < 0 || Timing().Match(lines[timing]) is not { Success: true } match) continue;
            var start = Seconds(match.Groups["start"].Value);
            var end = Seconds(match.Groups["end"].Value);
            var words = string.Join("\n", lines.Skip(timing + 1).Where(line => line.Length > 0).Select(line => Tag().Replace(line, "")));
            if (end > start && words.Length > 0) cues.Add(new SubtitleCue(start, end, System.Net.WebUtility.HtmlDecode(words)));
            if (cues.Count >= MaxCues) break;
        }
        return cues;
    }

    /// <summary>Whether the leading text looks like a subtitle file: a WEBVTT header, or SRT's number line then a timing line.</summary>
    public static bool LooksLikeSubtitles(ReadOnlySpan<char> head)
    {
        head = head.TrimStart('\uFEFF');
        if (head.StartsWith("WEBVTT", StringComparison.Ordinal)) return true;
        return SrtHead().IsMatch(head);
    }

    private static double Seconds(string stamp)
    {
        var parts = stamp.Replace(',', '.').Split(':');
        var seconds = double.Parse(parts[^1], CultureInfo.InvariantCulture);
        var minutes = int.Parse(parts[^2], CultureInfo.InvariantCulture);
        var hours = parts.Length > 2 ? int.Parse(parts[0], CultureInfo.InvariantCulture) : 0;
        return hours * 3600 + minutes * 60 + seconds;
    }

    [GeneratedRegex(@"\n\s*\n")]
    private static partial Regex BlockBreak();

    [GeneratedRegex(@"^(?<start>(\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})\s*-->\s*(?<end>(\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})")]
    private static partial Regex Timing();

    [GeneratedRegex(@"<[^>]*>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"^\s*\d+\s*\r?\n\s*(\d+:)?\d{1,2}:\d{2}[.,]\d{1,3}\s*-->")]
    private static partial Regex SrtHead();
}
