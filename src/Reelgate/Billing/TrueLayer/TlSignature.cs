using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Reelgate.Billing.TrueLayer;

/// <summary>The JOSE header of a <c>Tl-Signature</c>, read before it is verified.</summary>
public sealed record TlSignatureHeader(string? Alg, string? Kid, string? TlVersion, IReadOnlyList<string> TlHeaders, string? Jku);

/// <summary>
/// TrueLayer's request signing, version 2: a JWS with detached content, ES512 over
/// "METHOD path\n", then "Name: value\n" for each header named in <c>tl_headers</c> in that order, then the raw body.
/// The signature is ECDSA P-521 with SHA-512 in IEEE P1363 form (r‖s), as .NET's ECDsa produces by default.
/// </summary>
public static class TlSignature
{
    public const string HeaderName = "Tl-Signature";
    private const int SignatureBytes = 132;

    public static string Sign(ECDsa key, string kid, string method, string path, IReadOnlyList<KeyValuePair<string, string>> headers, ReadOnlySpan<byte> body, string? jku = null)
    {
        var jose = new JsonObject
        {
            ["alg"] = "ES512",
            ["kid"] = kid,
            ["tl_version"] = "2",
            ["tl_headers"] = string.Join(',', headers.Select(h => h.Key)),
        };
        if (jku is not null) jose["jku"] = jku;
        var encodedHeader = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(jose.ToJsonString()));
        var payload = Payload(method, path, headers.Select(h => (h.Key, h.Value)), body);
        var signature = key.SignData(SigningInput(encodedHeader, payload), HashAlgorithmName.SHA512);
        return $"{encodedHeader}..{Base64Url.EncodeToString(signature)}";
    }

    /// <summary>The unverified header, or null when the value is not a detached JWS with a JSON header.</summary>
    public static TlSignatureHeader? ReadHeader(string? signature)
    {
        if (Split(signature) is not var (encodedHeader, _)) return null;
        try
        {
            if (JsonNode.Parse(Base64Url.DecodeFromChars(encodedHeader)) is not JsonObject jose) return null;
            var names = Text(jose, "tl_headers") is { Length: > 0 } list
                ? list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                : [];
            return new TlSignatureHeader(Text(jose, "alg"), Text(jose, "kid"), Text(jose, "tl_version"), names, Text(jose, "jku"));
        }
        catch (Exception ex) when (ex is FormatException or JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>
    /// True when <paramref name="signature"/> is ES512 version 2, signs every header in <paramref name="required"/>, every
    /// header it names is present (<paramref name="header"/> looks them up case-insensitively), and the signature holds
    /// for the rebuilt payload, with the path as given or with its trailing slash toggled.
    /// </summary>
    public static bool Verify(ECDsa key, string? signature, string method, string path, Func<string, string?> header, ReadOnlySpan<byte> body, params string[] required)
    {
        if (Split(signature) is not var (encodedHeader, encodedSignature) || ReadHeader(signature) is not { } jose) return false;
        if (jose is not { Alg: "ES512", TlVersion: "2" }) return false;
        if (required.Any(r => !jose.TlHeaders.Contains(r, StringComparer.OrdinalIgnoreCase))) return false;
        var headers = new List<(string, string)>();
        foreach (var name in jose.TlHeaders)
        {
            if (header(name) is not { } value) return false;
            headers.Add((name, value));
        }
        byte[] signatureBytes;
        try
        {
            signatureBytes = Base64Url.DecodeFromChars(encodedSignature);
        }
        catch (FormatException)
        {
            return false;
        }
        if (signatureBytes.Length != SignatureBytes) return false;
        var toggled = path.Length > 1 && path.EndsWith('/') ? path[..^1] : path + "/";
        foreach (var candidate in new[] { path, toggled })
        {
            if (key.VerifyData(SigningInput(encodedHeader, Payload(method, candidate, headers, body)), signatureBytes, HashAlgorithmName.SHA512)) return true;
        }
        return false;
    }

    private static (string Header, string Signature)? Split(string? signature)
    {
        var parts = signature?.Split('.');
        return parts is [{ Length: > 0 } header, "", { Length: > 0 } value] ? (header, value) : null;
    }

    private static string? Text(JsonObject jose, string name) =>
        jose[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static byte[] Payload(string method, string path, IEnumerable<(string Name, string Value)> headers, ReadOnlySpan<byte> body)
    {
        var text = new StringBuilder().Append(method.ToUpperInvariant()).Append(' ').Append(path).Append('\n');
        foreach (var (name, value) in headers) text.Append(name).Append(": ").Append(value).Append('\n');
        var start = Encoding.UTF8.GetBytes(text.ToString());
        var payload = new byte[start.Length + body.Length];
        start.CopyTo(payload, 0);
        body.CopyTo(payload.AsSpan(start.Length));
        return payload;
    }

    private static byte[] SigningInput(string encodedHeader, byte[] payload) =>
        Encoding.ASCII.GetBytes($"{encodedHeader}.{Base64Url.EncodeToString(payload)}");
}
