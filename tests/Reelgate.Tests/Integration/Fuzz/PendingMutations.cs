using System.Text;
using System.Text.Json.Nodes;
using static Reelgate.Tests.Integration.Fuzz.FuzzCategories;

namespace Reelgate.Tests.Integration.Fuzz;

/// <summary>
/// The mutations in <see cref="FuzzCategories.PendingFixes"/>: NUL characters, lone UTF-16 surrogates, merge expansion
/// past the parser's depth limit and merge expansion that multiplies the Edit's size.
/// </summary>
internal sealed class PendingMutations(Random random)
{
    public Mutated Mutate(string json, string category)
    {
        var document = new FuzzDocument(json);
        var tree = new TreeMutations(document, random);
        switch (category)
        {
            case NulCharacter: Insert(document, tree, "\0"); break;
            case LoneSurrogate: Insert(document, tree, tree.Pick(["\ud800", "\udfff", "\udc00\ud800", "a\ud800b", "\ud83d"])); break;
            case DeepMergeExpansion: DeepMerge(document, tree); break;
            case MergeBlowup: Blowup(document, tree); break;
            default: throw new ArgumentOutOfRangeException(nameof(category), category, "not a pending-fix category");
        }
        return new Mutated(category, Encoding.UTF8.GetBytes(document.Write()));
    }

    /// <summary>Into a string value or a property name, as a \u escape (or, for NUL, sometimes as the raw byte).</summary>
    private void Insert(FuzzDocument document, TreeMutations tree, string bad)
    {
        if (random.Next(4) == 0 && document.Slots().Where(s => s.Key is not null).ToList() is { Count: > 0 } properties)
        {
            var property = tree.Pick(properties);
            tree.RenameKey(property, property.Key + bad);
            return;
        }
        var slot = tree.PickSlot(TreeMutations.IsString);
        var current = TreeMutations.IsString(slot) ? slot.Value!.GetValue<string>() : "";
        var text = current.Insert(random.Next(current.Length + 1), bad);
        var raw = bad == "\0" && random.Next(3) == 0;
        document.Set(slot, document.RawValue(raw ? "\"" + text.Replace("\"", "", StringComparison.Ordinal) + "\"" : FuzzDocument.EscapedLiteral(text)));
    }

    /// <summary>A replacement nested almost to the depth limit, put where a value already sits several levels down.</summary>
    private void DeepMerge(FuzzDocument document, TreeMutations tree)
    {
        if (document.Root is not JsonObject root) return;
        var depth = tree.Pick([55, 58, 61]);
        root["merge"] = new JsonArray(new JsonObject { ["find"] = "DEEP", ["replace"] = document.RawValue(new string('[', depth) + "1" + new string(']', depth)) });
        document.Set(tree.PickSlot(s => s.Key is "text" or "src" or "length"), JsonValue.Create("{{DEEP}}"));
    }

    /// <summary>One replacement repeated thousands of times: a long string inside text, or an array in place of values.</summary>
    private void Blowup(FuzzDocument document, TreeMutations tree)
    {
        if (document.Root is not JsonObject root) return;
        if (random.Next(2) == 0)
        {
            root["merge"] = new JsonArray(new JsonObject { ["find"] = "B", ["replace"] = new string('b', 20_000) });
            document.Set(tree.PickSlot(TreeMutations.IsString), JsonValue.Create(string.Concat(Enumerable.Repeat("{{B}}", 2_000))));
            return;
        }
        root["merge"] = new JsonArray(new JsonObject { ["find"] = "B", ["replace"] = new JsonArray([.. Enumerable.Range(0, 500).Select(i => (JsonNode)i)]) });
        document.Set(tree.PickSlot(s => s.Value is JsonObject), new JsonArray([.. Enumerable.Range(0, 2_000).Select(_ => (JsonNode)"{{B}}")]));
    }
}
