using System.Buffers;
using System.Net;
using Microsoft.Extensions.Options;

namespace Reelgate.Fetch;

/// <summary>Downloads user-supplied URLs to disk through the address guard, within size and time limits.</summary>
public sealed partial class AssetFetcher(HttpClient http, IOptions<FetchOptions> options, InFlightDownloads inFlight)
{
    private const int BufferSize = 81920;

    public async Task<FetchedFile> DownloadAsync(
        Uri url, string destinationPath, FetchRequest? request = null, CancellationToken cancellationToken = default)
    {
        // One download path: OpenAsync checks addresses, redirects, status and length; the stream enforces the rest.
        await using var source = await OpenAsync(url, request, cancellationToken);
        return await SaveAsync(source, destinationPath, request?.AcceptedKinds, cancellationToken);
    }

    private static Uri? RedirectTarget(Uri current, HttpResponseMessage response) =>
        response.StatusCode is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
            or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect
        && response.Headers.Location is { } location
            ? new Uri(current, location)
            : null;

    private static async Task<FetchedFile> SaveAsync(
        FetchedStream source, string destinationPath, IReadOnlySet<ContentKind>? acceptedKinds, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(destinationPath))!;
        Directory.CreateDirectory(directory);
        var temporaryPath = Path.Combine(directory, $".{Path.GetFileName(destinationPath)}.{Guid.NewGuid():N}.part");
        try
        {
            var header = new byte[ContentSniffer.HeaderLength];
            var headerLength = 0;
            long total = 0;
            var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
            try
            {
                await using var target = new FileStream(temporaryPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, useAsync: true);
                int read;
                while ((read = await source.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
                {
                    total += read;
                    var headerPart = Math.Min(read, header.Length - headerLength);
                    buffer.AsSpan(0, headerPart).CopyTo(header.AsSpan(headerLength));
                    headerLength += headerPart;
                    await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            var kind = ContentSniffer.Detect(header.AsSpan(0, headerLength));
            EnsureAccepted(source.Url, kind, acceptedKinds);
            File.Move(temporaryPath, destinationPath, overwrite: true);
            return new FetchedFile(destinationPath, total, source.ContentType, kind);
        }
        catch
        {
            File.Delete(temporaryPath);
            throw;
        }
    }

    private static void EnsureAccepted(Uri url, ContentKind kind, IReadOnlySet<ContentKind>? acceptedKinds)
    {
        if (acceptedKinds is not null && !acceptedKinds.Contains(kind))
        {
            var expected = string.Join(", ", acceptedKinds.Select(accepted => accepted.Slug()).Order(StringComparer.Ordinal));
            throw new FetchException(FetchErrorCodes.UnsupportedContent,
                $"{UrlGuard.Display(url)} is {(kind == ContentKind.Unknown ? "of an unrecognised format" : kind.Slug())}; expected {expected}.");
        }
    }

    private static FetchException TooLarge(Uri url, long maxBytes) =>
        new(FetchErrorCodes.TooLarge, $"{UrlGuard.Display(url)} is larger than the limit of {maxBytes} bytes.");

    private static BlockedAddressException? FindBlocked(Exception? failure)
    {
        for (; failure is not null; failure = failure.InnerException)
        {
            if (failure is BlockedAddressException blocked)
            {
                return blocked;
            }
        }
        return null;
    }
}
