using System.Text;
using System.Text.Json;

namespace Reelgate.Rendering;

/// <summary>
/// Replaces {{ KEY }} placeholders in an Edit before it is read. The merged Edit is written as it is expanded, and
/// each replacement is measured before it is made, so an Edit that would grow past <see cref="RenderLimits.MaxMergedBytes"/>
/// or nest past <see cref="MaxDepth"/> is refused at that point without ever being built whole.
/// </summary>
internal static class MergeFields
{
    public const int MaxDepth = 64;

    /// <summary>The merge fields and the merged Edit as UTF-8 JSON.</summary>
    public sealed record Merged(List<MergeField> Fields, byte[] Json);

    /// <summary>Reads the "merge" array of the root object and applies it to every other property; null when the merge is refused.</summary>
    public static Merged? Apply(JsonElement root, RenderLimits limits, ValidationErrors errors)
    {
        var fields = Read(root, errors).Select(f => (f.Find, Replacement: MergeReplacement.Of(f.Value))).ToList();
        var replacements = new Dictionary<string, MergeReplacement>(StringComparer.Ordinal);
        foreach (var (find, replacement) in fields)
        {
            replacements[find] = replacement;
        }
        var output = new MemoryStream();
        using (var writer = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true }))
        {
            var expansion = new MergeExpansion(writer, replacements, replacements.Count == 0 ? long.MaxValue : limits.MaxMergedBytes);
            if (!expansion.WriteRoot(root))
            {
                errors.Add("merge", expansion.TooDeep
                    ? $"nests the Edit deeper than {MaxDepth} levels once placeholders are replaced"
                    : $"expands the Edit past {limits.MaxMergedBytes} bytes, the most a merged Edit may have");
                return null;
            }
        }
        return new Merged(fields.Select(f => new MergeField(f.Find, Encoding.UTF8.GetString(f.Replacement.Json))).ToList(), output.ToArray());
    }

    private sealed record Field(string Find, JsonElement Value);

    private static List<Field> Read(JsonElement root, ValidationErrors errors)
    {
        var fields = new List<Field>();
        if (!root.TryGetProperty("merge", out var merge) || merge.ValueKind == JsonValueKind.Null)
        {
            return fields;
        }
        if (merge.ValueKind != JsonValueKind.Array)
        {
            errors.Add("merge", "must be an array");
            return fields;
        }
        var i = 0;
        foreach (var item in merge.EnumerateArray())
        {
            var path = $"merge[{i++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                errors.Add(path, "must be an object");
                continue;
            }
            foreach (var property in item.EnumerateObject().Where(p => p.Name is not ("find" or "replace")))
            {
                errors.Add($"{path}.{property.Name}", "is not an allowed property");
            }
            var find = item.TryGetProperty("find", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            if (find is null || find.Length == 0)
            {
                errors.Add($"{path}.find", "is required and must be a non-empty string");
            }
            var hasReplace = item.TryGetProperty("replace", out var replace);
            if (!hasReplace)
            {
                errors.Add($"{path}.replace", "is required");
            }
            if (find is { Length: > 0 } && hasReplace)
            {
                fields.Add(new Field(find, replace));
            }
        }
        return fields;
    }
}
