using System.Collections.Concurrent;

namespace Reelgate.Fetch;

/// <summary>Lets concurrent requests for the same cached URL share one download within this process.</summary>
public sealed class InFlightDownloads
{
    private readonly ConcurrentDictionary<string, Lazy<Task<FetchedFile>>> downloads = new(StringComparer.Ordinal);

    /// <summary>Joins the running download for <paramref name="key"/> or starts one; a caller's cancellation leaves it running for the others.</summary>
    public Task<FetchedFile> RunOnceAsync(string key, Func<Task<FetchedFile>> download, CancellationToken cancellationToken) =>
        downloads.GetOrAdd(key, _ => new Lazy<Task<FetchedFile>>(() => RunAndForgetAsync(key, download))).Value.WaitAsync(cancellationToken);

    private async Task<FetchedFile> RunAndForgetAsync(string key, Func<Task<FetchedFile>> download)
    {
        try
        {
            return await download();
        }
        finally
        {
            // Only the entry that started this download can be present while it runs, so removal by key is exact.
            downloads.TryRemove(key, out _);
        }
    }
}
