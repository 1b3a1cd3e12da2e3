using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Reelgate.Fetch;
using Reelgate.Storage;

namespace Reelgate.Generation;

public sealed record StoredUpload(Guid Id, Guid UserId, string StorageKey, string ContentType, long Bytes, DateTime CreatedAt);

public abstract record UploadResult
{
    public sealed record Stored(StoredUpload Upload) : UploadResult;
    public sealed record NotAnImage : UploadResult;
    public sealed record TooLarge(long MaxBytes, bool Audio = false) : UploadResult;
}

/// <summary>
/// Files users upload: images as generation input (JPEG/PNG/WebP) and audio as project music (MP3/M4A/WAV), each checked by its
/// bytes and its own size limit, kept in object storage, owned by one user.
/// </summary>
public sealed class ImageUploads(NpgsqlDataSource db, IObjectStore store, IOptions<GenerationOptions> options)
{
    /// <summary>Room for the multipart framing and form fields around an image of the largest allowed size.</summary>
    public const long FormOverheadBytes = 64 * 1024;

    public long MaxBytes => options.Value.MaxImageBytes;

    public long MaxAudioBytes => options.Value.MaxAudioBytes;

    /// <summary>The largest file of any accepted kind.</summary>
    public long MaxAnyBytes => Math.Max(MaxBytes, MaxAudioBytes);

    public static bool IsAudio(string contentType) => contentType.StartsWith("audio/", StringComparison.Ordinal);

    public async Task<UploadResult> StoreAsync(Guid userId, Stream content, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxAnyBytes) return TooLargeFor(buffer);
            buffer.Write(chunk, 0, read);
        }
        var header = buffer.GetBuffer().AsSpan(0, (int)Math.Min(buffer.Length, ContentSniffer.HeaderLength));
        if (Describe(header) is not { } format) return new UploadResult.NotAnImage();
        var (extension, contentType) = format;
        var limit = IsAudio(contentType) ? MaxAudioBytes : MaxBytes;
        if (buffer.Length > limit) return new UploadResult.TooLarge(limit, IsAudio(contentType));

        var id = Guid.CreateVersion7();
        var key = StorageKeys.ForUpload(userId, id, extension);
        buffer.Position = 0;
        await store.PutAsync(key, buffer, contentType, ct);
        await using var connection = await db.OpenConnectionAsync(ct);
        var upload = await connection.QuerySingleAsync<StoredUpload>(new CommandDefinition("""
            INSERT INTO uploads (id, user_id, storage_key, content_type, bytes) VALUES (@id, @userId, @key, @contentType, @bytes)
            RETURNING id, user_id, storage_key, content_type, bytes, created_at
            """, new { id, userId, key, contentType, bytes = buffer.Length }, cancellationToken: ct));
        return new UploadResult.Stored(upload);
    }

    /// <summary>The caller's own upload, or null for an unknown id or someone else's.</summary>
    public async Task<StoredUpload?> FindAsync(Guid userId, Guid id, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<StoredUpload>(new CommandDefinition(
            "SELECT id, user_id, storage_key, content_type, bytes, created_at FROM uploads WHERE id = @id AND user_id = @userId",
            new { id, userId }, cancellationToken: ct));
    }

    /// <summary>A file cut off at the overall limit is judged by its start, so the answer names the limit of its own kind.</summary>
    private UploadResult TooLargeFor(MemoryStream buffer)
    {
        var header = buffer.GetBuffer().AsSpan(0, (int)Math.Min(buffer.Length, ContentSniffer.HeaderLength));
        return Describe(header) is { } format && IsAudio(format.ContentType)
            ? new UploadResult.TooLarge(MaxAudioBytes, Audio: true)
            : new UploadResult.TooLarge(MaxBytes);
    }

    public static (string Extension, string ContentType)? Describe(ReadOnlySpan<byte> header) => ContentSniffer.Detect(header) switch
    {
        ContentKind.Jpeg => ("jpg", "image/jpeg"),
        ContentKind.Png => ("png", "image/png"),
        ContentKind.Webp => ("webp", "image/webp"),
        ContentKind.Mp3 => ("mp3", "audio/mpeg"),
        ContentKind.Wav => ("wav", "audio/wav"),
        // Only the MPEG-4 audio brand: an MP4 video is not music.
        ContentKind.Mp4 when header.Length >= 12 && header.Slice(8, 4).SequenceEqual("M4A "u8) => ("m4a", "audio/mp4"),
        _ => null,
    };
}
