using System.Text.RegularExpressions;
using Amazon.S3;

namespace Reelgate.Storage;

/// <summary>Checks what the store says it received against what was sent, where its ETag is defined by the content.</summary>
internal static partial class S3ETags
{
    /// <summary>A single PUT or part's ETag is the body's MD5 unless the object is encrypted with KMS.</summary>
    public static void EnsureMatches(string? etag, byte[] md5, ServerSideEncryptionMethod? encryption, string what)
    {
        if (!IsMd5Based(encryption) || etag is null || !PlainMd5().IsMatch(etag.Trim('"')))
        {
            return;
        }
        if (!etag.Trim('"').Equals(Convert.ToHexStringLower(md5), StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException($"The store received other bytes than were sent for {what} (ETag {etag}).");
        }
    }

    /// <summary>S3, R2 and MinIO give a completed multipart object the MD5 of its parts' MD5s and the part count.</summary>
    public static void EnsureMatchesMultipart(string? etag, IReadOnlyList<byte[]> partMd5s, ServerSideEncryptionMethod? encryption, string key)
    {
        if (!IsMd5Based(encryption) || etag is null || !MultipartMd5().IsMatch(etag.Trim('"')))
        {
            return;
        }
        var expected = $"{Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(partMd5s.SelectMany(md5 => md5).ToArray()))}-{partMd5s.Count}";
        if (!etag.Trim('"').Equals(expected, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException($"The store assembled {key} from other parts than were sent (ETag {etag}, expected {expected}).");
        }
    }

    private static bool IsMd5Based(ServerSideEncryptionMethod? encryption) =>
        encryption is null || encryption == ServerSideEncryptionMethod.None || encryption == ServerSideEncryptionMethod.AES256
        || string.IsNullOrEmpty(encryption.Value);

    [GeneratedRegex("^[0-9a-fA-F]{32}$")]
    private static partial Regex PlainMd5();

    [GeneratedRegex("^[0-9a-fA-F]{32}-[0-9]+$")]
    private static partial Regex MultipartMd5();
}
