using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Reelgate.Rendering;

/// <summary>A replace value: its JSON (for a whole-string placeholder), its text (inside a string) and how deep it nests.</summary>
internal sealed record MergeReplacement(byte[] Json, string Text, int Depth)
{
    public static MergeReplacement Of(JsonElement value)
    {
        var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json))
        {
            value.WriteTo(writer);
        }
        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Null => "",
            _ => Encoding.UTF8.GetString(json.ToArray()),
        };
        return new MergeReplacement(json.ToArray(), text, DepthOf(value));
    }

    private static int DepthOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => 1 + value.EnumerateObject().Select(p => DepthOf(p.Value)).DefaultIfEmpty(0).Max(),
        JsonValueKind.Array => 1 + value.EnumerateArray().Select(DepthOf).DefaultIfEmpty(0).Max(),
        _ => 0,
    };
}

/// <summary>
/// Writes an Edit with its placeholders replaced. Each write returns false as soon as the Edit would pass
/// <c>maxBytes</c> or <see cref="MergeFields.MaxDepth"/>; a replacement is measured before it is made, so the
/// refusal comes before the large value exists.
/// </summary>
internal sealed partial class MergeExpansion(Utf8JsonWriter writer, Dictionary<string, MergeReplacement> replacements, long maxBytes)
{
    private readonly Dictionary<string, MergeReplacement>.AlternateLookup<ReadOnlySpan<char>> _byKey = replacements.GetAlternateLookup<ReadOnlySpan<char>>();

    public bool TooDeep { get; private set; }

    private long Written => writer.BytesCommitted + writer.BytesPending;

    /// <summary>Writes the root object; its "merge" array is kept as written.</summary>
    public bool WriteRoot(JsonElement root)
    {
        writer.WriteStartObject();
        foreach (var property in root.EnumerateObject())
        {
            writer.WritePropertyName(property.Name);
            if (property.NameEquals("merge"))
            {
                property.Value.WriteTo(writer);
            }
            else if (!Write(property.Value, 1))
            {
                return false;
            }
        }
        writer.WriteEndObject();
        return Written <= maxBytes;
    }

    /// <param name="depth">How many objects and arrays enclose the value.</param>
    private bool Write(JsonElement value, int depth)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in value.EnumerateObject())
                {
                    writer.WritePropertyName(property.Name);
                    if (!Write(property.Value, depth + 1))
                    {
                        return false;
                    }
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in value.EnumerateArray())
                {
                    if (!Write(item, depth + 1))
                    {
                        return false;
                    }
                }
                writer.WriteEndArray();
                break;
            case JsonValueKind.String when replacements.Count > 0:
                return WriteString(value.GetString()!, depth);
            default:
                value.WriteTo(writer);
                break;
        }
        return Written <= maxBytes;
    }

    private bool WriteString(string text, int depth)
    {
        var matches = Placeholder().EnumerateMatches(text);
        if (matches.MoveNext() && matches.Current is var only && only.Index == 0 && only.Length == text.Length
            && _byKey.TryGetValue(Key(text, only), out var whole))
        {
            return WriteWhole(whole, depth);
        }
        // Every character takes at least a byte, so the merged text's length is a floor on what writing it adds.
        var length = (long)text.Length;
        foreach (var match in Placeholder().EnumerateMatches(text))
        {
            if (_byKey.TryGetValue(Key(text, match), out var replacement))
            {
                length += replacement.Text.Length - match.Length;
            }
            if (Written + length > maxBytes)
            {
                return false;
            }
        }
        var merged = new StringBuilder((int)length);
        var end = 0;
        foreach (var match in Placeholder().EnumerateMatches(text))
        {
            if (_byKey.TryGetValue(Key(text, match), out var replacement))
            {
                merged.Append(text, end, match.Index - end).Append(replacement.Text);
                end = match.Index + match.Length;
            }
        }
        writer.WriteStringValue(merged.Append(text, end, text.Length - end).ToString());
        return Written <= maxBytes;
    }

    /// <summary>A string that is one placeholder and nothing else takes the replacement's own type.</summary>
    private bool WriteWhole(MergeReplacement replacement, int depth)
    {
        if (depth + replacement.Depth > MergeFields.MaxDepth)
        {
            TooDeep = true;
            return false;
        }
        if (Written + replacement.Json.Length > maxBytes)
        {
            return false;
        }
        writer.WriteRawValue(replacement.Json, skipInputValidation: true);
        return true;
    }

    /// <summary>"{{ NAME }}" → "NAME": the key holds neither spaces nor braces, so trimming the rest leaves exactly it.</summary>
    private static ReadOnlySpan<char> Key(string text, ValueMatch match) => text.AsSpan(match.Index + 2, match.Length - 4).Trim();

    [GeneratedRegex(@"\{\{\s*([^{}\s]+)\s*\}\}")]
    private static partial Regex Placeholder();
}
