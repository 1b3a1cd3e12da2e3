using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Reelgate.Tests.Integration.Fuzz;

/// <summary>Where a value sits: a property of an object, an element of an array, or (no parent) the root.</summary>
internal sealed record Slot(JsonNode? Parent, string? Key, int Index, JsonNode? Value);

/// <summary>
/// A parsed body being mutated. Text a node cannot hold (1e999, NaN, escapes of invalid UTF-16, a repeated key) is put
/// in as a sentinel string and spliced into the written text.
/// </summary>
internal sealed class FuzzDocument(string json)
{
    private static readonly JsonSerializerOptions Writer = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly Dictionary<string, string> _raw = new(StringComparer.Ordinal);

    public JsonNode Root { get; private set; } = JsonNode.Parse(json)!;

    /// <summary>A value that is written as exactly <paramref name="text"/>, valid JSON or not.</summary>
    public JsonNode RawValue(string text) => JsonValue.Create(Token(text))!;

    /// <summary>A property name that is written as exactly <paramref name="literal"/> (quotes included).</summary>
    public string RawKey(string literal) => Token(literal);

    private string Token(string text)
    {
        var token = $"@@fuzz{_raw.Count}@@";
        _raw['"' + token + '"'] = text;
        return token;
    }

    public List<Slot> Slots()
    {
        var slots = new List<Slot> { new(null, null, -1, Root) };
        Walk(Root, slots);
        return slots;
    }

    public List<JsonObject> Objects() => Slots().Select(s => s.Value).OfType<JsonObject>().ToList();

    private static void Walk(JsonNode? node, List<Slot> slots)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    slots.Add(new Slot(obj, key, -1, value));
                    Walk(value, slots);
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    slots.Add(new Slot(array, null, i, array[i]));
                    Walk(array[i], slots);
                }
                break;
        }
    }

    public void Set(Slot slot, JsonNode? value)
    {
        switch (slot.Parent)
        {
            case null: Root = value ?? RawValue("null"); break;
            case JsonObject obj: obj[slot.Key!] = value; break;
            case JsonArray array: array[slot.Index] = value; break;
        }
    }

    public void Remove(Slot slot)
    {
        switch (slot.Parent)
        {
            case JsonObject obj: obj.Remove(slot.Key!); break;
            case JsonArray array: array.RemoveAt(slot.Index); break;
        }
    }

    public string Write()
    {
        var text = new StringBuilder(Root.ToJsonString(Writer));
        // Later tokens may sit inside earlier raw text, so splice newest first.
        foreach (var (token, raw) in _raw.Reverse()) text.Replace(token, raw);
        return text.ToString();
    }

    /// <summary>A JSON string literal with every character outside printable ASCII written as a \u escape.</summary>
    public static string EscapedLiteral(string text)
    {
        var literal = new StringBuilder("\"");
        foreach (var c in text)
        {
            literal.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                >= ' ' and < '\x7f' => c.ToString(),
                _ => $"\\u{(int)c:x4}",
            });
        }
        return literal.Append('"').ToString();
    }
}
