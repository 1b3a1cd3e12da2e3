using System.Net.Http.Headers;

namespace Reelgate.Bench.ProxyLoad;

/// <summary>One POST endpoint and what a successful answer looks like.</summary>
internal sealed record Target(string Name, HttpClient Client, Uri Url, int Expected, Action<HttpRequestMessage> Authorize);

/// <summary>Times of one request on <see cref="Clock"/>: when it was due, when it went out, when its answer was read.</summary>
internal readonly record struct Sample(string Marker, long Scheduled, long Sent, long Done, int Status, string? Error)
{
    public double LatencyMs => (Done - Scheduled) / 1e6;
    public double LagMs => (Sent - Scheduled) / 1e6;
}

/// <summary>
/// Sends requests at a fixed rate whatever the answers do (an open loop): request i is due at start + i / rate and its
/// latency counts from then, so a slow answer shows in every request it delays (no coordinated omission).
/// </summary>
internal static class OpenLoop
{
    private static readonly MediaTypeHeaderValue JsonType = new("application/json");

    public static async Task<Sample[]> RunAsync(Target target, string phase, int count, double rate)
    {
        var markers = Enumerable.Range(0, count).Select(i => $"{phase}-{i}").ToArray();
        var bodies = markers.Select(Edits.Body).ToArray();
        var samples = new Sample[count];
        var sends = new Task[count];
        var start = Clock.Now() + 20_000_000;
        var interval = 1e9 / rate;
        await Task.Factory.StartNew(() =>
        {
            for (var i = 0; i < count; i++)
            {
                var due = start + (long)(i * interval);
                Clock.SleepUntil(due);
                sends[i] = SendAsync(target, markers[i], bodies[i], due, samples, i);
            }
        }, TaskCreationOptions.LongRunning);
        await Task.WhenAll(sends);
        return samples;
    }

    private static async Task SendAsync(Target target, string marker, byte[] body, long due, Sample[] samples, int index)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, target.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = JsonType;
        target.Authorize(request);
        var sent = Clock.Now();
        try
        {
            using var response = await target.Client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
            var done = Clock.Now();
            var status = (int)response.StatusCode;
            var error = status == target.Expected ? null : await response.Content.ReadAsStringAsync();
            samples[index] = new Sample(marker, due, sent, done, status, error);
        }
        catch (HttpRequestException ex)
        {
            samples[index] = new Sample(marker, due, sent, Clock.Now(), 0, ex.Message);
        }
    }
}
