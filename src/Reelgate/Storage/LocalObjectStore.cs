using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Reelgate.Storage;

/// <summary>
/// Keeps objects as files under <see cref="StorageOptions.LocalPath"/>, with their metadata beside them in <c>.meta/</c>.
/// Object keys never start a segment with a dot, so the <c>.meta</c> and <c>.tmp</c> folders cannot collide with them.
/// </summary>
public sealed class LocalObjectStore(IOptions<StorageOptions> options, LinkSigner signer, TimeProvider time) : IObjectStore
{
    private const int BufferSize = 81920;

    private string Root { get; } = Path.GetFullPath(options.Value.LocalPath);

    public async Task<StoredObject> PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken = default)
    {
        ObjectKey.Validate(key);
        var temporaryPath = TemporaryPath();
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long length = 0;
            await using (var target = new FileStream(temporaryPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, useAsync: true))
            {
                var buffer = new byte[BufferSize];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    length += read;
                }
                target.Flush(flushToDisk: true);
            }
            var stored = new StoredObject(key, length, string.IsNullOrWhiteSpace(contentType) ? ContentTypes.FromKey(key) : contentType,
                Convert.ToHexStringLower(hash.GetHashAndReset()));
            await WriteMetadataAsync(stored, cancellationToken);
            var path = DataPath(key);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.Move(temporaryPath, path, overwrite: true);
            return stored;
        }
        catch
        {
            File.Delete(temporaryPath);
            throw;
        }
    }

    public async Task<StoredObject> PutFileAsync(string key, string path, string contentType, CancellationToken cancellationToken = default)
    {
        await using var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, useAsync: true);
        return await PutAsync(key, source, contentType, cancellationToken);
    }

    public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        ObjectKey.Validate(key);
        try
        {
            // FileShare.Delete lets an overwrite or delete proceed while a download is still reading the old content.
            Stream stream = new FileStream(DataPath(key), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, BufferSize, useAsync: true);
            return Task.FromResult<Stream?>(stream);
        }
        catch (Exception missing) when (missing is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default)
    {
        ObjectKey.Validate(key);
        return Task.FromResult(File.Exists(DataPath(key)));
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        ObjectKey.Validate(key);
        DeleteIfPresent(DataPath(key));
        DeleteIfPresent(MetadataPath(key));
        return Task.CompletedTask;
    }

    public Task<DownloadLink> GetDownloadLinkAsync(string key, TimeSpan lifetime, DateTimeOffset? retentionEnd, CancellationToken cancellationToken = default)
    {
        ObjectKey.Validate(key);
        var expires = LinkExpiry.Compute(time.GetUtcNow(), lifetime, retentionEnd, options.Value.RetentionHours);
        return Task.FromResult(new DownloadLink(SignedUrl(key, expires.ToUnixTimeSeconds()), expires));
    }

    public async Task<bool> CheckHealthAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var probePath = TemporaryPath();
            await File.WriteAllBytesAsync(probePath, [1], cancellationToken);
            File.Delete(probePath);
            return true;
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Finds the file behind a key so the download endpoint can serve it with range support.</summary>
    public LocalFile? FindFile(string key)
    {
        if (!ObjectKey.IsValid(key))
        {
            return null;
        }
        var file = new FileInfo(DataPath(key));
        return file.Exists
            ? new LocalFile(file.FullName, ReadContentType(key), file.Length, file.LastWriteTimeUtc)
            : null;
    }

    private Uri SignedUrl(string key, long expires) =>
        new($"{options.Value.PublicBaseUrl.TrimEnd('/')}/files/{key}?expires={expires}&sig={signer.Sign(key, expires)}");

    private string DataPath(string key) => Path.Combine(Root, key);

    private string MetadataPath(string key) => Path.Combine(Root, ".meta", key + ".json");

    private string TemporaryPath()
    {
        var directory = Path.Combine(Root, ".tmp");
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, Guid.NewGuid().ToString("N"));
    }

    private async Task WriteMetadataAsync(StoredObject stored, CancellationToken cancellationToken)
    {
        var path = MetadataPath(stored.Key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporaryPath = TemporaryPath();
        await File.WriteAllBytesAsync(temporaryPath, JsonSerializer.SerializeToUtf8Bytes(stored), cancellationToken);
        File.Move(temporaryPath, path, overwrite: true);
    }

    private string ReadContentType(string key)
    {
        try
        {
            var stored = JsonSerializer.Deserialize<StoredObject>(File.ReadAllBytes(MetadataPath(key)));
            return stored?.ContentType ?? ContentTypes.FromKey(key);
        }
        catch (Exception missing) when (missing is FileNotFoundException or DirectoryNotFoundException or JsonException)
        {
            return ContentTypes.FromKey(key);
        }
    }

    private static void DeleteIfPresent(string path)
    {
        if (Directory.Exists(Path.GetDirectoryName(path)))
        {
            File.Delete(path);
        }
    }
}
