using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Reelgate.Common;

/// <summary>
/// Finds the strings and property names of a UTF-8 JSON document that cannot be stored (see <see cref="StorableText"/>),
/// each keyed by its JSON path ("timeline.tracks[0].clips[1].asset.text"), in one forward pass that builds nothing but
/// the paths it reports. Malformed JSON ends the scan quietly: whoever reads the document reports that in its own words.
/// </summary>
public static class JsonTextScanner
{
    public const int MaxDepth = 64;
    private const int MaxReported = 20;

    public static Dictionary<string, string[]> Scan(ReadOnlySpan<byte> json)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var frames = new List<Frame>();
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth });
        try
        {
            while (errors.Count < MaxReported && reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        var problem = Problem(reader.ValueSpan, reader.ValueIsEscaped);
                        // Names are decoded only for a path that is reported; an unstorable one is shown as written.
                        var name = new Name((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length, reader.ValueIsEscaped && problem is null);
                        frames[^1] = frames[^1] with { Name = name };
                        if (problem is not null) errors[PathOf(json, frames)] = ["is a property name that " + problem];
                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        NextItem(frames);
                        frames.Add(new Frame(reader.TokenType == JsonTokenType.StartArray, -1, default));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        frames.RemoveAt(frames.Count - 1);
                        break;
                    case JsonTokenType.String:
                        NextItem(frames);
                        if (Problem(reader.ValueSpan, reader.ValueIsEscaped) is { } message) errors[PathOf(json, frames)] = [message];
                        break;
                    default:
                        NextItem(frames);
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // Malformed or too deep: the reader of the document refuses it with its own message.
            return errors;
        }
        return errors;
    }

    /// <param name="Index">The position of the current item when the frame is an array.</param>
    /// <param name="Name">The current property name when the frame is an object.</param>
    private readonly record struct Frame(bool IsArray, int Index, Name Name);

    /// <summary>Where a property name's bytes are in the document, and whether they need unescaping to be read.</summary>
    private readonly record struct Name(int Start, int Length, bool Unescape);

    private static void NextItem(List<Frame> frames)
    {
        if (frames.Count > 0 && frames[^1].IsArray) frames[^1] = frames[^1] with { Index = frames[^1].Index + 1 };
    }

    private static string PathOf(ReadOnlySpan<byte> json, List<Frame> frames)
    {
        if (frames.Count == 0) return "body";
        var path = new StringBuilder();
        foreach (var frame in frames)
        {
            if (frame.IsArray) path.Append('[').Append(frame.Index.ToString(CultureInfo.InvariantCulture)).Append(']');
            else path.Append(path.Length == 0 ? "" : ".").Append(Read(json, frame.Name));
        }
        return path.ToString();
    }

    private static string Read(ReadOnlySpan<byte> json, Name name)
    {
        if (!name.Unescape) return Encoding.UTF8.GetString(json.Slice(name.Start, name.Length));
        // The name with its quotes is a JSON string on its own.
        var reader = new Utf8JsonReader(json.Slice(name.Start - 1, name.Length + 2));
        reader.Read();
        return reader.GetString()!;
    }

    /// <summary>Checks a string token as written: its bytes must be UTF-8, and its \u escapes neither NUL nor half a surrogate pair.</summary>
    private static string? Problem(ReadOnlySpan<byte> raw, bool escaped)
    {
        if (!Utf8.IsValid(raw)) return StorableText.Utf8Message;
        if (!escaped) return null;
        var highPending = false;
        for (var i = 0; i < raw.Length; i++)
        {
            var unit = -1;
            if (raw[i] == '\\')
            {
                i++;
                if (raw[i] == 'u')
                {
                    unit = int.Parse(raw.Slice(i + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
                    i += 4;
                }
            }
            if (unit == 0) return StorableText.NulMessage;
            var low = unit is >= 0xDC00 and <= 0xDFFF;
            if (highPending != low) return StorableText.SurrogateMessage;
            highPending = unit is >= 0xD800 and <= 0xDBFF;
        }
        return highPending ? StorableText.SurrogateMessage : null;
    }
}
