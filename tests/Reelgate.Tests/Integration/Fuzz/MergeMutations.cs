using System.Text.Json.Nodes;

namespace Reelgate.Tests.Integration.Fuzz;

/// <summary>Merge-field mutations of an Edit: malformed merge arrays, odd find and replace values, placeholders where values go.</summary>
internal sealed class MergeMutations(FuzzDocument document, Random random)
{
    private readonly TreeMutations _tree = new(document, random);

    public void Apply()
    {
        if (document.Root is not JsonObject root) return;
        switch (random.Next(5))
        {
            case 0:
                root["merge"] = Malformed();
                break;
            case 1:
                for (var i = random.Next(1, 4); i > 0; i--) Placeholders(Add(root, _tree.Pick(FuzzValues.MergeFinds), OddReplacement()));
                break;
            case 2:
                var merge = new JsonArray();
                for (var i = 0; i < 2000; i++) merge.Add(new JsonObject { ["find"] = $"F{i}", ["replace"] = i });
                root["merge"] = merge;
                Placeholders("F" + random.Next(2000));
                break;
            case 3:
                var find = _tree.Pick(FuzzValues.MergeFinds);
                Add(root, find, OddReplacement());
                Placeholders(Add(root, find, OddReplacement()));
                break;
            default:
                Placeholders(Add(root, "NAME", OddReplacement()));
                break;
        }
    }

    private JsonNode? Malformed() => random.Next(14) switch
    {
        0 => JsonValue.Create("merge"),
        1 => JsonValue.Create(42),
        2 => new JsonObject(),
        3 => new JsonArray(1),
        4 => new JsonArray((JsonNode?)null),
        5 => new JsonArray(new JsonObject()),
        6 => new JsonArray(new JsonObject { ["find"] = "", ["replace"] = "x" }),
        7 => new JsonArray(new JsonObject { ["find"] = "X" }),
        8 => new JsonArray(new JsonObject { ["replace"] = 1 }),
        9 => new JsonArray(new JsonObject { ["find"] = 42, ["replace"] = 1 }),
        10 => new JsonArray(new JsonObject { ["find"] = "X", ["replace"] = 1, ["extra"] = 2 }),
        11 => new JsonArray(new JsonObject { ["find"] = null, ["replace"] = null }),
        12 => new JsonArray(new JsonArray(new JsonObject { ["find"] = "X", ["replace"] = 1 })),
        _ => new JsonArray(new JsonObject { ["find"] = new JsonArray("X"), ["replace"] = 1 }),
    };

    private JsonNode? OddReplacement() => random.Next(16) switch
    {
        0 => JsonValue.Create("Ada"),
        1 => JsonValue.Create(""),
        2 => JsonValue.Create(0),
        3 => JsonValue.Create(-1),
        4 => document.RawValue("1e308"),
        5 => document.RawValue("1e999"),
        6 => null,
        7 => JsonValue.Create(true),
        8 => new JsonObject { ["a"] = 1 },
        9 => new JsonArray(1, 2),
        10 => JsonValue.Create("{{ NAME }}"),
        11 => JsonValue.Create("\"quoted\" \\ {{"),
        12 => document.Slots().FirstOrDefault(s => s.Key == "clips")?.Value is JsonArray { Count: > 0 } clips ? clips[0]!.DeepClone() : new JsonObject(),
        13 => JsonValue.Create(new string('r', 10_000)),
        14 => new JsonArray([.. Enumerable.Range(0, 1000).Select(i => (JsonNode)i)]),
        _ => JsonNode.Parse(string.Concat(Enumerable.Repeat("{\"a\":", 20)) + "1" + new string('}', 20)),
    };

    private static string Add(JsonObject root, string find, JsonNode? replace)
    {
        if (root["merge"] is not JsonArray merge) root["merge"] = merge = [];
        merge.Add(new JsonObject { ["find"] = find, ["replace"] = replace });
        return find;
    }

    /// <summary>Puts {{ find }} in one to three values outside the merge array: whole, so it takes the replacement's type, or inside text.</summary>
    private void Placeholders(string find)
    {
        for (var i = random.Next(1, 4); i > 0; i--)
        {
            var slots = document.Slots().Where(s => s.Parent is not null && !UnderMerge(s) && s.Value is JsonValue).ToList();
            if (slots.Count == 0) return;
            var slot = _tree.Pick(slots);
            var placeholder = random.Next(2) == 0 ? $"{{{{{find}}}}}" : $"{{{{ {find} }}}}";
            var text = TreeMutations.IsString(slot) && random.Next(2) == 0 ? $"pre {placeholder} post" : placeholder;
            document.Set(slot, JsonValue.Create(text));
        }
    }

    private bool UnderMerge(Slot slot) =>
        document.Root is JsonObject root && root["merge"] is JsonArray merge && IsWithin(slot.Parent, merge);

    private static bool IsWithin(JsonNode? node, JsonNode ancestor)
    {
        for (var current = node; current is not null; current = current.Parent)
        {
            if (ReferenceEquals(current, ancestor)) return true;
        }
        return false;
    }
}
