using System.Diagnostics;
using System.Globalization;

namespace Reelgate.Fetch;

/// <summary>What one POST to a user's URL came to: the status if any answer arrived, otherwise why not.</summary>
public sealed record PostAttempt(int? StatusCode, string? Error, TimeSpan Elapsed);

public static class OutboundPost
{
    /// <summary>
    /// Sends <paramref name="request"/> within <paramref name="timeout"/> and never throws for the receiver's sake:
    /// timeouts and network or guard refusals come back as <see cref="PostAttempt.Error"/>.
    /// </summary>
    public static async Task<PostAttempt> SendAsync(HttpClient client, HttpRequestMessage request, TimeSpan timeout, CancellationToken stoppingToken)
    {
        var clock = Stopwatch.StartNew();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            return new PostAttempt((int)response.StatusCode, null, clock.Elapsed);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return new PostAttempt(null, $"no response within {timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s", clock.Elapsed);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Counted as a failed attempt, so a receiver that always breaks the connection still runs out of retries.
            return new PostAttempt(null, ex.InnerException?.Message ?? ex.Message, clock.Elapsed);
        }
    }
}
