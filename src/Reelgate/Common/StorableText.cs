using System.Globalization;
using System.Text;

namespace Reelgate.Common;

/// <summary>
/// Text Reelgate cannot keep: PostgreSQL refuses U+0000 in text and jsonb, and a lone UTF-16 surrogate (or bytes that
/// are not UTF-8) has no UTF-8 form, so neither can reach the database or a JSON writer.
/// </summary>
public static class StorableText
{
    public const string NulMessage = "must not contain the NUL character (U+0000).";
    public const string SurrogateMessage = "must not contain an unpaired UTF-16 surrogate (U+D800 to U+DFFF).";
    public const string Utf8Message = "is not valid UTF-8.";

    /// <summary>Why <paramref name="text"/> cannot be stored, or null when it can.</summary>
    public static string? Problem(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\0') return NulMessage;
            if (!char.IsSurrogate(text[i])) continue;
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            else return SurrogateMessage;
        }
        return null;
    }

    /// <summary>The text with NULs and lone surrogates written as JSON escapes, so a field whose name is unstorable can still be named.</summary>
    public static string Visible(string text)
    {
        if (Problem(text) is null) return text;
        var visible = new StringBuilder(text.Length + 12);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) visible.Append(c).Append(text[++i]);
            else if (c == '\0' || char.IsSurrogate(c)) visible.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            else visible.Append(c);
        }
        return visible.ToString();
    }
}
