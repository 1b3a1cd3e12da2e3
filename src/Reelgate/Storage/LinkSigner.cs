using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Reelgate.Storage;

public enum LinkCheck
{
    Valid,
    Invalid,
    Expired,
}

/// <summary>Signs and verifies <c>/files/{key}?expires=&amp;sig=</c> links: base64url HMAC-SHA256 of <c>key + "\n" + expires</c>.</summary>
public sealed class LinkSigner(byte[] secret)
{
    private const int SignatureBytes = 32;

    public string Sign(string key, long expiresUnixSeconds) =>
        Base64Url.EncodeToString(Compute(key, expiresUnixSeconds));

    /// <summary>Checks the signature in constant time first, so an expired answer is only given for a genuine link.</summary>
    public LinkCheck Verify(string key, string? expires, string? signature, DateTimeOffset now)
    {
        if (!long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var expiresUnixSeconds)
            || signature is null
            || Base64Url.GetMaxDecodedLength(signature.Length) > SignatureBytes + 2)
        {
            return LinkCheck.Invalid;
        }
        Span<byte> presented = stackalloc byte[SignatureBytes + 2];
        if (Base64Url.DecodeFromChars(signature, presented, out _, out var written) != OperationStatus.Done
            || !CryptographicOperations.FixedTimeEquals(presented[..written], Compute(key, expiresUnixSeconds)))
        {
            return LinkCheck.Invalid;
        }
        return now.ToUnixTimeSeconds() < expiresUnixSeconds ? LinkCheck.Valid : LinkCheck.Expired;
    }

    private byte[] Compute(string key, long expiresUnixSeconds) =>
        HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{key}\n{expiresUnixSeconds}")));
}
