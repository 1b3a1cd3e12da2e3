using System.Security.Cryptography;
using System.Text;

namespace Reelgate.Fetch;

public sealed partial class AssetFetcher
{
    /// <summary>
    /// Returns the cached copy of <paramref name="url"/> from <see cref="FetchOptions.CacheDirectory"/>, downloading it first
    /// if needed; concurrent callers in this process share one download.
    /// </summary>
    public async Task<FetchedFile> DownloadCachedAsync(Uri url, FetchRequest? request = null, CancellationToken cancellationToken = default)
    {
        UrlGuard.EnsureFetchable(url);
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url.AbsoluteUri)));
        var path = Path.Combine(Path.GetFullPath(options.Value.CacheDirectory), key);
        var file = File.Exists(path)
            ? await ReadCachedAsync(path, cancellationToken)
            : await inFlight.RunOnceAsync(key, () => DownloadToCacheAsync(url, path, request), cancellationToken);
        // The shared download ran with the first caller's limits, so each caller's own limits are checked here.
        if (file.Length > (request?.MaxBytes ?? long.MaxValue))
        {
            throw TooLarge(url, request!.MaxBytes!.Value);
        }
        EnsureAccepted(url, file.Kind, request?.AcceptedKinds);
        return file;
    }

    private async Task<FetchedFile> DownloadToCacheAsync(Uri url, string path, FetchRequest? request)
    {
        var file = await DownloadAsync(url, path, (request ?? new FetchRequest()) with { AcceptedKinds = null }, CancellationToken.None);
        if (file.ContentType is { } contentType)
        {
            var temporaryPath = $"{path}.{Guid.NewGuid():N}.part";
            await File.WriteAllTextAsync(temporaryPath, contentType);
            File.Move(temporaryPath, ContentTypePath(path), overwrite: true);
        }
        return file;
    }

    private static async Task<FetchedFile> ReadCachedAsync(string path, CancellationToken cancellationToken)
    {
        var header = new byte[ContentSniffer.HeaderLength];
        long length;
        int headerLength;
        await using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 4096, useAsync: true))
        {
            length = stream.Length;
            headerLength = await stream.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken);
        }
        var contentTypePath = ContentTypePath(path);
        var contentType = File.Exists(contentTypePath) ? await File.ReadAllTextAsync(contentTypePath, cancellationToken) : null;
        return new FetchedFile(path, length, contentType, ContentSniffer.Detect(header.AsSpan(0, headerLength)));
    }

    private static string ContentTypePath(string path) => path + ".content-type";
}
