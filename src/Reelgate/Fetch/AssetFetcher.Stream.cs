namespace Reelgate.Fetch;

public sealed partial class AssetFetcher
{
    /// <summary>
    /// Opens <paramref name="url"/> for reading as it downloads, through the address guard and redirects checked like
    /// <see cref="DownloadAsync"/>. The returned stream keeps enforcing the size limit and the deadline while it is read,
    /// failing with <see cref="FetchException"/>; dispose it to release the connection.
    /// </summary>
    public async Task<FetchedStream> OpenAsync(Uri url, FetchRequest? request = null, CancellationToken cancellationToken = default)
    {
        UrlGuard.EnsureFetchable(url);
        var maxBytes = Math.Min(request?.MaxBytes ?? long.MaxValue, options.Value.MaxBytes);
        var timeout = request?.Timeout is { } requested && requested < options.Value.Timeout ? requested : options.Value.Timeout;
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var current = url;
        HttpResponseMessage? response = null;
        try
        {
            for (var redirects = 0; ; redirects++)
            {
                response = await http.GetAsync(current, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
                if (RedirectTarget(current, response) is not { } next)
                {
                    break;
                }
                response.Dispose();
                response = null;
                if (redirects >= options.Value.MaxRedirects)
                {
                    throw new FetchException(FetchErrorCodes.TooManyRedirects,
                        $"{UrlGuard.Display(url)} redirected more than {options.Value.MaxRedirects} times.");
                }
                UrlGuard.EnsureFetchable(next);
                current = next;
            }
            if (!response.IsSuccessStatusCode)
            {
                throw new FetchException(FetchErrorCodes.HttpStatus,
                    $"{UrlGuard.Display(current)} answered {(int)response.StatusCode} {response.ReasonPhrase}.", (int)response.StatusCode);
            }
            if (response.Content.Headers.ContentLength > maxBytes)
            {
                throw TooLarge(current, maxBytes);
            }
            var body = await response.Content.ReadAsStreamAsync(deadline.Token);
            return new FetchedStream(current, response, body, deadline, cancellationToken, maxBytes, timeout);
        }
        catch (Exception failure)
        {
            response?.Dispose();
            deadline.Dispose();
            if (Translate(failure, current, timeout, cancellationToken) is { } translated)
            {
                throw translated;
            }
            throw;
        }
    }

    /// <summary>The fetch error a transport failure means, or null when the failure is already one or is the caller's cancellation.</summary>
    internal static FetchException? Translate(Exception failure, Uri current, TimeSpan timeout, CancellationToken cancellationToken) =>
        failure switch
        {
            OperationCanceledException when !cancellationToken.IsCancellationRequested => new FetchException(FetchErrorCodes.Timeout,
                $"Fetching {UrlGuard.Display(current)} did not finish within {timeout.TotalSeconds:0.###} s.", innerException: failure),
            HttpRequestException when FindBlocked(failure) is { } blocked => new FetchException(FetchErrorCodes.BlockedAddress,
                $"Refusing to fetch {UrlGuard.Display(current)}: {blocked.Message}.", innerException: failure),
            HttpRequestException or IOException => new FetchException(FetchErrorCodes.Unreachable,
                $"Could not reach {UrlGuard.Display(current)}: {failure.Message}", innerException: failure),
            _ => null,
        };
}
