namespace Reelgate.Storage;

/// <summary>Where Reelgate keeps outputs and uploads. Keys follow <see cref="ObjectKey"/>; writes replace an existing object whole.</summary>
public interface IObjectStore
{
    Task<StoredObject> PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken = default);

    Task<StoredObject> PutFileAsync(string key, string path, string contentType, CancellationToken cancellationToken = default);

    /// <summary>Opens the object for reading, or returns null when it does not exist.</summary>
    Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken = default);

    Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Removes the object; removing a missing object is not an error.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>A URL anyone holding it can download the object from until <paramref name="lifetime"/> has passed.</summary>
    /// <remarks>The same link as <see cref="GetDownloadLinkAsync"/> without a known retention end, so every store caps it alike.</remarks>
    async Task<Uri> GetDownloadUrlAsync(string key, TimeSpan lifetime, CancellationToken cancellationToken = default) =>
        (await GetDownloadLinkAsync(key, lifetime, null, cancellationToken)).Url;

    /// <summary>
    /// A link valid for <paramref name="lifetime"/>, at most 24 h, and never past <paramref name="retentionEnd"/> (or, when that
    /// is null, the configured retention from now); a public link where the store serves objects publicly.
    /// </summary>
    Task<DownloadLink> GetDownloadLinkAsync(string key, TimeSpan lifetime, DateTimeOffset? retentionEnd, CancellationToken cancellationToken = default);

    Task<bool> CheckHealthAsync(CancellationToken cancellationToken = default);
}
