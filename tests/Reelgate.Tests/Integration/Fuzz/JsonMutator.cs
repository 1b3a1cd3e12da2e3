using System.Text;
using static Reelgate.Tests.Integration.Fuzz.FuzzCategories;

namespace Reelgate.Tests.Integration.Fuzz;

internal sealed record Mutated(string Category, byte[] Body, string? ContentType = "application/json");

/// <summary>Seeded mutations of a valid JSON body, one category at a time, so a failure names what broke it.</summary>
internal sealed class JsonMutator(Random random)
{
    /// <summary>Categories that edit the parsed tree; <see cref="Stacked"/> applies several of them.</summary>
    public static readonly string[] TreeCategories =
        [WrongType, MissingProperty, ExtraProperty, ExtremeNumber, DeepNesting, LongString, OddUnicode, BadUrl, DuplicateKey, SwappedContainer];

    public static readonly string[] EditOnlyCategories = [UnknownAssetType, MergeFields];

    public static readonly string[] TextCategories = [Stacked, Truncated, EmptyOrScalar, NotJson, InvalidUtf8, WrongContentType];

    public Mutated Mutate(string json, string category) => category switch
    {
        Truncated => Bytes(category, Truncate(Encoding.UTF8.GetBytes(json))),
        EmptyOrScalar => Text(category, Pick(FuzzValues.EmptyBodies)),
        NotJson => Text(category, NotJsonText(json)),
        InvalidUtf8 => Bytes(category, WithInvalidUtf8(json)),
        WrongContentType => new Mutated(category, Encoding.UTF8.GetBytes(json), random.Next(8) == 0 ? null : Pick(FuzzValues.ContentTypes)),
        Stacked => Tree(json, category, Enumerable.Range(0, random.Next(2, 5)).Select(_ => Pick(TreeCategories)).ToArray()),
        _ => Tree(json, category, category),
    };

    private Mutated Tree(string json, string category, params string[] steps)
    {
        var document = new FuzzDocument(json);
        var mutations = new TreeMutations(document, random);
        foreach (var step in steps) mutations.Apply(step);
        return Text(category, document.Write());
    }

    private string NotJsonText(string json) => random.Next(16) switch
    {
        0 => "<edit><timeline/></edit>",
        1 => json.Replace('"', '\''),
        2 => json + ",",
        3 => json.Insert(json.LastIndexOf('}'), ","),
        4 => "/* comment */" + json,
        5 => json + json,
        6 => json + " trailing",
        7 => "{\"timeline\":NaN}",
        8 => json.Replace(":", "=", StringComparison.Ordinal),
        9 => new string('[', 10),
        10 => "]" + json,
        11 => "a=1&b=2",
        12 => json.Replace(",", "\n,", StringComparison.Ordinal).Replace("\"", "\"\n", StringComparison.Ordinal),
        13 => "\ufeff" + json,
        14 => json[..(json.Length / 2)] + "\"" + json[(json.Length / 2)..],
        _ => "{\"a\":" + new string('"', 3) + "}",
    };

    private byte[] Truncate(byte[] body) => body[..random.Next(body.Length)];

    private byte[] WithInvalidUtf8(string json)
    {
        byte[][] sequences = [[0xFF], [0xFE], [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0x80], [0xC3], [0xF4, 0x90, 0x80, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80]];
        var bytes = Encoding.UTF8.GetBytes(json).ToList();
        for (var n = random.Next(1, 4); n > 0; n--)
        {
            var quotes = Enumerable.Range(0, bytes.Count).Where(i => bytes[i] == '"').ToList();
            var at = quotes.Count > 0 ? quotes[random.Next(quotes.Count)] + 1 : random.Next(bytes.Count + 1);
            bytes.InsertRange(at, Pick(sequences));
        }
        return [.. bytes];
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private static Mutated Text(string category, string body) => new(category, Encoding.UTF8.GetBytes(body));

    private static Mutated Bytes(string category, byte[] body) => new(category, body);
}
