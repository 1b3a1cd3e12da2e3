using System.Text.Json.Nodes;

namespace Reelgate.Jobs;

/// <summary>Finds the JSON path of every "src" in an Edit, so a refused URL is reported where it was written.</summary>
public static class AssetPaths
{
    public static IReadOnlyDictionary<string, string> ByUrl(string json)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        Walk(JsonNode.Parse(json), "", found);
        return found;
    }

    private static void Walk(JsonNode? node, string path, Dictionary<string, string> found)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    var childPath = path.Length == 0 ? name : $"{path}.{name}";
                    if (name == "src" && child is JsonValue value && value.TryGetValue<string>(out var url)) found.TryAdd(url, childPath);
                    else Walk(child, childPath, found);
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++) Walk(array[i], $"{path}[{i}]", found);
                break;
        }
    }
}
