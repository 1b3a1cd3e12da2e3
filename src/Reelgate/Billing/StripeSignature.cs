using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Reelgate.Billing;

public enum StripeSignatureCheck
{
    Valid,
    Malformed,
    NoSignature,
    Mismatch,
    OutsideTolerance,
}

/// <summary>
/// Stripe's webhook signature: <c>Stripe-Signature: t=&lt;unix&gt;,v1=&lt;hex&gt;[,v1=…]</c>, where each v1 is the lowercase hex
/// HMAC-SHA256 of <c>"{t}.{raw body}"</c> keyed with the UTF-8 bytes of the whole endpoint secret (whsec_ included).
/// </summary>
public static class StripeSignature
{
    public static StripeSignatureCheck Verify(string? header, ReadOnlySpan<byte> body, string secret, DateTimeOffset now, TimeSpan tolerance)
    {
        if (string.IsNullOrEmpty(header)) return StripeSignatureCheck.Malformed;
        long? timestamp = null;
        var candidates = new List<string>();
        foreach (var part in header.Split(','))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0) continue;
            var name = part[..eq].Trim();
            var value = part[(eq + 1)..].Trim();
            if (name == "t" && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var t)) timestamp = t;
            else if (name == "v1") candidates.Add(value);
        }
        if (timestamp is null) return StripeSignatureCheck.Malformed;
        if (candidates.Count == 0) return StripeSignatureCheck.NoSignature;

        var expected = Encoding.ASCII.GetBytes(Compute(secret, timestamp.Value, body));
        var matched = false;
        foreach (var candidate in candidates)
        {
            // Every candidate is compared, so the time taken does not reveal which one matched.
            matched |= CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(candidate), expected);
        }
        if (!matched) return StripeSignatureCheck.Mismatch;
        // Two-sided: a timestamp far in the future is as suspect as an old one.
        var age = now.ToUnixTimeSeconds() - timestamp.Value;
        return Math.Abs(age) <= tolerance.TotalSeconds ? StripeSignatureCheck.Valid : StripeSignatureCheck.OutsideTolerance;
    }

    /// <summary>Lowercase hex HMAC-SHA256 of <c>"{timestamp}.{body}"</c>.</summary>
    public static string Compute(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var payload = new byte[prefix.Length + body.Length];
        prefix.CopyTo(payload, 0);
        body.CopyTo(payload.AsSpan(prefix.Length));
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), payload));
    }

    /// <summary>A header as Stripe sends it, for replaying events to this endpoint.</summary>
    public static string Header(string secret, long timestamp, ReadOnlySpan<byte> body) =>
        string.Create(CultureInfo.InvariantCulture, $"t={timestamp},v1={Compute(secret, timestamp, body)}");
}
