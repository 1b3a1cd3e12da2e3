using Reelgate.Fetch;

namespace Reelgate.Storage;

/// <summary>Copies remote files (provider outputs) into the object store as they download, without a local copy.</summary>
public sealed class StorageTransfer(AssetFetcher fetcher, IObjectStore store)
{
    /// <summary>
    /// Streams <paramref name="source"/> through the fetch guard into <paramref name="key"/>. The content type is the one given,
    /// else the server's unless it is the generic one, else the key's. Throws <see cref="FetchException"/> when the download is
    /// refused or breaks off; nothing is stored then.
    /// </summary>
    public async Task<StoredObject> CopyFromUrlAsync(
        Uri source, string key, string? contentType = null, FetchRequest? request = null, CancellationToken cancellationToken = default)
    {
        ObjectKey.Validate(key);
        await using var download = await fetcher.OpenAsync(source, request, cancellationToken);
        var type = contentType
            ?? (download.ContentType is { } served && !served.StartsWith(ContentTypes.Fallback, StringComparison.OrdinalIgnoreCase)
                ? served
                : ContentTypes.FromKey(key));
        return await store.PutAsync(key, download, type, cancellationToken);
    }
}
