using System.Text;
using System.Text.Json;

namespace Reelgate.Shotstack;

/// <summary>The Edit a template render submits: the template, with the request's merge fields replacing its own by `find`.</summary>
public static class ShotstackTemplateMerge
{
    /// <summary>
    /// The request's fields come first, so a refused field is named by its index in the request; the template's own fields
    /// follow, less those the request replaced. A template saved without an Edit renders as an empty one, refused by validation.
    /// </summary>
    public static string Combine(string? template, JsonElement? merge)
    {
        if (merge is not { ValueKind: JsonValueKind.Array } requested) return template ?? "{}";
        using var document = JsonDocument.Parse(template ?? "{}");
        var root = document.RootElement;
        var replaced = requested.EnumerateArray().Select(Find).OfType<string>().ToHashSet(StringComparer.Ordinal);

        var output = new MemoryStream();
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            foreach (var property in root.EnumerateObject().Where(p => !p.NameEquals("merge")))
            {
                property.WriteTo(writer);
            }
            writer.WriteStartArray("merge");
            foreach (var field in requested.EnumerateArray())
            {
                field.WriteTo(writer);
            }
            var own = root.TryGetProperty("merge", out var fields) && fields.ValueKind == JsonValueKind.Array ? fields.EnumerateArray().ToList() : [];
            foreach (var field in own.Where(f => Find(f) is not { } find || !replaced.Contains(find)))
            {
                field.WriteTo(writer);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(output.ToArray());
    }

    private static string? Find(JsonElement field) =>
        field.ValueKind == JsonValueKind.Object && field.TryGetProperty("find", out var find) && find.ValueKind == JsonValueKind.String
            ? find.GetString()
            : null;
}
