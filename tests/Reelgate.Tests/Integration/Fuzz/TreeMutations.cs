using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using static Reelgate.Tests.Integration.Fuzz.FuzzCategories;

namespace Reelgate.Tests.Integration.Fuzz;

/// <summary>The tree edits of one <see cref="FuzzDocument"/>.</summary>
internal sealed class TreeMutations(FuzzDocument document, Random random)
{
    private static readonly string[] UrlKeys = ["src", "callback", "url", "imageUrl"];

    public void Apply(string category)
    {
        switch (category)
        {
            case WrongType: WrongKind(PickSlot()); break;
            case MissingProperty: if (Properties() is { Count: > 0 } properties) document.Remove(Pick(properties)); break;
            case ExtraProperty: ExtraPropertyOf(document.Objects()); break;
            case ExtremeNumber: document.Set(PickSlot(s => s.Value is JsonValue v && v.GetValueKind() == JsonValueKind.Number), document.RawValue(Pick(FuzzValues.ExtremeNumbers))); break;
            case DeepNesting: document.Set(PickSlot(), document.RawValue(Nested(Pick([8, 30, 60, 63, 64, 65, 100, 1000, 50_000])))); break;
            case LongString: document.Set(PickSlot(IsString), JsonValue.Create(Repeat(Pick(FuzzValues.Fillers), Pick([300, 2_049, 10_000, 100_000, 500_000, 1_100_000])))); break;
            case OddUnicode: OddUnicodeText(); break;
            case UnknownAssetType: AssetType(); break;
            case BadUrl: document.Set(PickSlot(s => s.Key is { } key && UrlKeys.Contains(key)), JsonValue.Create(Pick(FuzzValues.BadUrls))); break;
            case MergeFields: new MergeMutations(document, random).Apply(); break;
            case DuplicateKey: DuplicateProperty(); break;
            case SwappedContainer: Swap(PickSlot(s => s.Value is JsonObject or JsonArray)); break;
            default: throw new ArgumentOutOfRangeException(nameof(category), category, "not a tree mutation");
        }
    }

    public Slot PickSlot(Func<Slot, bool>? prefer = null)
    {
        var slots = document.Slots();
        var preferred = prefer is null ? [] : slots.Where(prefer).ToList();
        // Mostly the preferred kind of slot, sometimes any, so every place gets every kind of value.
        return preferred.Count > 0 && random.Next(5) > 0 ? Pick(preferred) : Pick(slots.Skip(1).DefaultIfEmpty(slots[0]).ToList());
    }

    public static bool IsString(Slot slot) => slot.Value is JsonValue v && v.GetValueKind() == JsonValueKind.String;

    private List<Slot> Properties() => document.Slots().Where(s => s.Key is not null).ToList();

    private void WrongKind(Slot slot)
    {
        var kind = slot.Value?.GetValueKind() ?? JsonValueKind.Null;
        var value = AnyValue();
        while ((value?.GetValueKind() ?? JsonValueKind.Null) == kind) value = AnyValue();
        document.Set(slot, value);
    }

    public JsonNode? AnyValue() => random.Next(14) switch
    {
        0 => JsonValue.Create("text"),
        1 => JsonValue.Create(0),
        2 => JsonValue.Create(-1),
        3 => JsonValue.Create(3.5),
        4 => JsonValue.Create(true),
        5 => JsonValue.Create(false),
        6 => null,
        7 => new JsonArray(),
        8 => new JsonObject(),
        9 => new JsonArray(1, "a", null),
        10 => new JsonObject { ["a"] = 1 },
        11 => JsonValue.Create(""),
        12 => JsonValue.Create("0"),
        _ => JsonValue.Create("{}"),
    };

    private static string Nested(int depth) => depth % 2 == 0
        ? new string('[', depth) + "1" + new string(']', depth)
        : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);

    private static string Repeat(string filler, int length)
    {
        var text = new StringBuilder(length + filler.Length);
        while (text.Length < length) text.Append(filler);
        return text.ToString();
    }

    private void OddUnicodeText()
    {
        var odd = Pick(FuzzValues.OddText);
        if (random.Next(5) == 0 && Properties() is { Count: > 0 } properties)
        {
            RenameKey(Pick(properties), random.Next(2) == 0 ? odd : odd + Pick(properties).Key);
            return;
        }
        var slot = PickSlot(IsString);
        var current = IsString(slot) ? slot.Value!.GetValue<string>() : "";
        var at = random.Next(current.Length + 1);
        var text = random.Next(3) == 0 ? odd : current[..at] + odd + current[at..];
        // Half written as raw UTF-8, half as \u escapes, which reach the parser by another path.
        document.Set(slot, random.Next(2) == 0 ? JsonValue.Create(text) : document.RawValue(FuzzDocument.EscapedLiteral(text)));
    }

    public void RenameKey(Slot slot, string name)
    {
        var obj = (JsonObject)slot.Parent!;
        var value = slot.Value;
        obj.Remove(slot.Key!);
        obj[document.RawKey(FuzzDocument.EscapedLiteral(name))] = value;
    }

    private void ExtraPropertyOf(List<JsonObject> objects)
    {
        // An earlier stacked step may have left no object at all; then the body becomes one.
        if (objects.Count == 0)
        {
            var root = new JsonObject();
            document.Set(document.Slots()[0], root);
            objects = [root];
        }
        Pick(objects)[Pick(FuzzValues.ExtraNames)] = AnyValue();
    }

    private void AssetType()
    {
        var assets = document.Slots().Where(s => s.Key == "asset" && s.Value is JsonObject).Select(s => (JsonObject)s.Value!).ToList();
        if (assets.Count == 0)
        {
            Apply(WrongType);
            return;
        }
        var asset = Pick(assets);
        switch (random.Next(6))
        {
            case 0: asset.Remove("type"); break;
            case 1: asset["type"] = AnyValue(); break;
            default: asset["type"] = Pick(FuzzValues.AssetTypes); break;
        }
    }

    private void DuplicateProperty()
    {
        var candidates = document.Objects().Where(o => o.Count > 0).ToList();
        if (candidates.Count == 0)
        {
            Apply(ExtraProperty);
            return;
        }
        var obj = Pick(candidates);
        var (key, value) = obj.ElementAt(random.Next(obj.Count));
        obj[document.RawKey(JsonSerializer.Serialize(key))] = random.Next(2) == 0 ? value?.DeepClone() : AnyValue();
    }

    private void Swap(Slot slot)
    {
        JsonNode? swapped = slot.Value switch
        {
            JsonObject obj => random.Next(3) switch
            {
                0 => new JsonArray(obj.DeepClone()),
                1 => new JsonArray([.. obj.Select(p => p.Value?.DeepClone())]),
                _ => new JsonArray(),
            },
            JsonArray array => random.Next(3) switch
            {
                0 => new JsonObject(array.Select((item, i) => KeyValuePair.Create(i.ToString(System.Globalization.CultureInfo.InvariantCulture), item?.DeepClone()))),
                1 => array.Count > 0 ? array[0]?.DeepClone() : new JsonObject(),
                _ => new JsonObject(),
            },
            _ => new JsonArray(slot.Value?.DeepClone()),
        };
        document.Set(slot, swapped);
    }

    public T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
