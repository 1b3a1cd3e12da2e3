using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Reelgate.Billing.TrueLayer;

/// <summary>Reads the EC P-521 keys of a JWKS by kid; other key types are skipped, as TrueLayer signs with ES512 only.</summary>
public static class TlJwks
{
    private const int CoordinateBytes = 66;

    public static IReadOnlyDictionary<string, ECParameters> Parse(string json)
    {
        var keys = new Dictionary<string, ECParameters>(StringComparer.Ordinal);
        try
        {
            if (JsonNode.Parse(json)?["keys"] is not JsonArray list) return keys;
            foreach (var key in list.OfType<JsonObject>())
            {
                if (Text(key, "kty") != "EC" || Text(key, "crv") != "P-521" || Text(key, "kid") is not { } kid
                    || Text(key, "x") is not { } x || Text(key, "y") is not { } y)
                {
                    continue;
                }
                keys[kid] = new ECParameters { Curve = ECCurve.NamedCurves.nistP521, Q = new ECPoint { X = Coordinate(x), Y = Coordinate(y) } };
            }
        }
        catch (Exception ex) when (ex is JsonException or FormatException or ArgumentException)
        {
            return keys;
        }
        return keys;
    }

    /// <summary>JWKs may drop a coordinate's leading zero bytes; ECParameters wants the curve's full width.</summary>
    private static byte[] Coordinate(string encoded)
    {
        var bytes = Base64Url.DecodeFromChars(encoded);
        if (bytes.Length > CoordinateBytes) throw new FormatException("The coordinate is longer than P-521's.");
        var padded = new byte[CoordinateBytes];
        bytes.CopyTo(padded, CoordinateBytes - bytes.Length);
        return padded;
    }

    private static string? Text(JsonObject key, string name) =>
        key[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
