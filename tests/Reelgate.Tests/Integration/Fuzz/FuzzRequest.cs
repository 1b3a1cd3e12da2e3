using System.Text;

namespace Reelgate.Tests.Integration.Fuzz;

/// <summary>One generated request: what was mutated, where it goes, and the exact bytes sent.</summary>
internal sealed record FuzzRequest(string Category, HttpMethod Method, string Path, byte[] Body, string? ContentType)
{
    public static FuzzRequest Json(string category, HttpMethod method, string path, string body, string? contentType = "application/json") =>
        new(category, method, path, Encoding.UTF8.GetBytes(body), contentType);

    public HttpRequestMessage ToMessage()
    {
        var content = new ByteArrayContent(Body);
        // TryAddWithoutValidation keeps malformed media types exactly as generated.
        if (ContentType is not null) content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
        return new HttpRequestMessage(Method, Path) { Content = content };
    }

    /// <summary>The body as a reader can see it: printable ASCII kept, everything else escaped, long bodies cut.</summary>
    public string Preview(int max = 1500)
    {
        var text = new StringBuilder();
        foreach (var rune in Encoding.UTF8.GetString(Body).EnumerateRunes())
        {
            if (text.Length >= max)
            {
                text.Append($"… ({Body.Length} bytes in all)");
                break;
            }
            text.Append(rune.Value is >= 0x20 and < 0x7f ? rune.ToString() : $"\\u{{{rune.Value:x}}}");
        }
        return text.ToString();
    }

    public override string ToString() => $"[{Category}] {Method} {Path} ({ContentType ?? "no content type"}): {Preview()}";
}

/// <summary>The mutation families; <see cref="PendingFixes"/> are the text and merge ones, refused as input.</summary>
internal static class FuzzCategories
{
    /// <summary>A valid body the mutations start from; it must be accepted.</summary>
    public const string Unmutated = "unmutated";
    public const string WrongType = "wrong-type";
    public const string MissingProperty = "missing-property";
    public const string ExtraProperty = "extra-property";
    public const string ExtremeNumber = "extreme-number";
    public const string DeepNesting = "deep-nesting";
    public const string LongString = "long-string";
    public const string OddUnicode = "odd-unicode";
    public const string UnknownAssetType = "unknown-asset-type";
    public const string BadUrl = "bad-url";
    public const string MergeFields = "merge-fields";
    public const string DuplicateKey = "duplicate-key";
    public const string SwappedContainer = "swapped-container";
    public const string Stacked = "stacked";
    public const string Truncated = "truncated";
    public const string EmptyOrScalar = "empty-or-scalar";
    public const string NotJson = "not-json";
    public const string InvalidUtf8 = "invalid-utf8";
    public const string WrongContentType = "wrong-content-type";
    public const string BadMultipart = "bad-multipart";
    public const string BadQuery = "bad-query";

    // Text PostgreSQL cannot store and merges that expand without bound: refused with 400 at the field.
    public const string NulCharacter = "pending:nul-character";
    public const string LoneSurrogate = "pending:lone-surrogate";
    public const string DeepMergeExpansion = "pending:deep-merge-expansion";
    public const string MergeBlowup = "pending:merge-blowup";

    public static readonly string[] PendingFixes = [NulCharacter, LoneSurrogate, DeepMergeExpansion, MergeBlowup];
}
