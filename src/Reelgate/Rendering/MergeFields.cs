using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Reelgate.Rendering;

/// <summary>Replaces {{ KEY }} placeholders in an Edit before it is read.</summary>
internal static partial class MergeFields
{
    /// <summary>Reads the "merge" array of the root object and applies it to every other property.</summary>
    public static List<MergeField> Apply(JsonObject root, ValidationErrors errors)
    {
        var fields = Read(root["merge"], errors);
        if (fields.Count == 0)
        {
            return fields;
        }
        var replacements = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var field in fields)
        {
            replacements[field.Find] = JsonNode.Parse(field.ReplaceJson);
        }
        foreach (var property in root.ToList())
        {
            if (property.Key != "merge" && Replacement(property.Value, replacements) is { } replaced)
            {
                root[property.Key] = replaced.Value;
            }
        }
        return fields;
    }

    private static List<MergeField> Read(JsonNode? merge, ValidationErrors errors)
    {
        var fields = new List<MergeField>();
        if (merge is null)
        {
            return fields;
        }
        if (merge is not JsonArray items)
        {
            errors.Add("merge", "must be an array");
            return fields;
        }
        for (var i = 0; i < items.Count; i++)
        {
            var path = $"merge[{i}]";
            if (items[i] is not JsonObject item)
            {
                errors.Add(path, "must be an object");
                continue;
            }
            foreach (var property in item.Where(p => p.Key is not ("find" or "replace")))
            {
                errors.Add($"{path}.{property.Key}", "is not an allowed property");
            }
            var find = item["find"] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
            if (find is null || find.Length == 0)
            {
                errors.Add($"{path}.find", "is required and must be a non-empty string");
            }
            if (!item.ContainsKey("replace"))
            {
                errors.Add($"{path}.replace", "is required");
            }
            if (find is { Length: > 0 } && item.ContainsKey("replace"))
            {
                fields.Add(new MergeField(find, item["replace"]?.ToJsonString() ?? "null"));
            }
        }
        return fields;
    }

    private static void ReplaceWithin(JsonNode? node, Dictionary<string, JsonNode?> replacements)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var property in obj.ToList())
                {
                    if (Replacement(property.Value, replacements) is { } replaced)
                    {
                        obj[property.Key] = replaced.Value;
                    }
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (Replacement(array[i], replacements) is { } replaced)
                    {
                        array[i] = replaced.Value;
                    }
                }
                break;
        }
    }

    private static Replaced? Replacement(JsonNode? node, Dictionary<string, JsonNode?> replacements)
    {
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            return new Replaced(ReplaceInString(value.GetValue<string>(), replacements));
        }
        ReplaceWithin(node, replacements);
        return null;
    }

    private sealed record Replaced(JsonNode? Value);

    private static JsonNode? ReplaceInString(string text, Dictionary<string, JsonNode?> replacements)
    {
        var whole = WholePlaceholder().Match(text);
        if (whole.Success && replacements.TryGetValue(whole.Groups[1].Value, out var typed))
        {
            return typed?.DeepClone();
        }
        var replaced = Placeholder().Replace(text, match =>
            replacements.TryGetValue(match.Groups[1].Value, out var replacement) ? AsText(replacement) : match.Value);
        return JsonValue.Create(replaced);
    }

    private static string AsText(JsonNode? replacement) => replacement switch
    {
        null => "",
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => replacement.ToJsonString(),
    };

    [GeneratedRegex(@"^\{\{\s*([^{}\s]+)\s*\}\}$")]
    private static partial Regex WholePlaceholder();

    [GeneratedRegex(@"\{\{\s*([^{}\s]+)\s*\}\}")]
    private static partial Regex Placeholder();
}
