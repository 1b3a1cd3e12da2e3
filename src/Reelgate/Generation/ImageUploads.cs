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
    public sealed record TooLarge(long MaxBytes) : UploadResult;
}

/// <summary>Images uploaded as generation input: checked by their bytes and size, kept in object storage, owned by one user.</summary>
public sealed class ImageUploads(NpgsqlDataSource db, IObjectStore store, IOptions<GenerationOptions> options)
{
    /// <summary>Room for the multipart framing and form fields around an image of the largest allowed size.</summary>
    public const long FormOverheadBytes = 64 * 1024;

    public long MaxBytes => options.Value.MaxImageBytes;

    public async Task<UploadResult> StoreAsync(Guid userId, Stream content, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBytes) return new UploadResult.TooLarge(MaxBytes);
            buffer.Write(chunk, 0, read);
        }
        var header = buffer.GetBuffer().AsSpan(0, (int)Math.Min(buffer.Length, ContentSniffer.HeaderLength));
        if (Describe(ContentSniffer.Detect(header)) is not { } format) return new UploadResult.NotAnImage();
        var (extension, contentType) = format;

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

    private static (string Extension, string ContentType)? Describe(ContentKind kind) => kind switch
    {
        ContentKind.Jpeg => ("jpg", "image/jpeg"),
        ContentKind.Png => ("png", "image/png"),
        ContentKind.Webp => ("webp", "image/webp"),
        _ => null,
    };
}
