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
        UrlGuard.EnsureFetchable(url);
        var maxBytes = Math.Min(request?.MaxBytes ?? long.MaxValue, options.Value.MaxBytes);
        var timeout = request?.Timeout is { } requested && requested < options.Value.Timeout ? requested : options.Value.Timeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var current = url;
        try
        {
            for (var redirects = 0; ; redirects++)
            {
                using var response = await http.GetAsync(current, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
                if (RedirectTarget(current, response) is not { } next)
                {
                    return await SaveAsync(current, response, destinationPath, maxBytes, request?.AcceptedKinds, deadline.Token);
                }
                if (redirects >= options.Value.MaxRedirects)
                {
                    throw new FetchException(FetchErrorCodes.TooManyRedirects,
                        $"{UrlGuard.Display(url)} redirected more than {options.Value.MaxRedirects} times.");
                }
                UrlGuard.EnsureFetchable(next);
                current = next;
            }
        }
        catch (OperationCanceledException failure) when (!cancellationToken.IsCancellationRequested)
        {
            throw new FetchException(FetchErrorCodes.Timeout,
                $"Fetching {UrlGuard.Display(current)} did not finish within {timeout.TotalSeconds:0.###} s.", innerException: failure);
        }
        catch (HttpRequestException failure) when (FindBlocked(failure) is { } blocked)
        {
            throw new FetchException(FetchErrorCodes.BlockedAddress,
                $"Refusing to fetch {UrlGuard.Display(current)}: {blocked.Message}.", innerException: failure);
        }
        catch (HttpRequestException failure)
        {
            throw new FetchException(FetchErrorCodes.Unreachable,
                $"Could not reach {UrlGuard.Display(current)}: {failure.Message}", innerException: failure);
        }
    }

    private static Uri? RedirectTarget(Uri current, HttpResponseMessage response) =>
        response.StatusCode is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
            or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect
        && response.Headers.Location is { } location
            ? new Uri(current, location)
            : null;

    private static async Task<FetchedFile> SaveAsync(
        Uri url, HttpResponseMessage response, string destinationPath, long maxBytes,
        IReadOnlySet<ContentKind>? acceptedKinds, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new FetchException(FetchErrorCodes.HttpStatus,
                $"{UrlGuard.Display(url)} answered {(int)response.StatusCode} {response.ReasonPhrase}.", (int)response.StatusCode);
        }
        if (response.Content.Headers.ContentLength > maxBytes)
        {
            throw TooLarge(url, maxBytes);
        }
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
                await using var source = await response.Content.ReadAsStreamAsync(cancellationToken);
                await using var target = new FileStream(temporaryPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, useAsync: true);
                int read;
                while ((read = await source.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
                {
                    total += read;
                    if (total > maxBytes)
                    {
                        throw TooLarge(url, maxBytes);
                    }
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
            EnsureAccepted(url, kind, acceptedKinds);
            File.Move(temporaryPath, destinationPath, overwrite: true);
            return new FetchedFile(destinationPath, total, response.Content.Headers.ContentType?.ToString(), kind);
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
