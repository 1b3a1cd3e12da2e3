using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using Reelgate.Bench.ProxyLoad;

namespace Reelgate.Bench.UpstreamLoad;

/// <summary>One accepted submit: its marker (the Edit's title), Reelgate's job id, and when it went out and was answered (Stopwatch ticks).</summary>
internal sealed record Submit(string Marker, Guid JobId, long Sent, long Answered)
{
    public double LatencyMs => (Answered - Sent) * 1000.0 / Stopwatch.Frequency;
}

/// <summary>Submits renders as fast as Reelgate answers: a fixed number of senders, each sending its next render once its last is answered; render i goes with key i mod keys.</summary>
internal static class Submitter
{
    private static readonly MediaTypeHeaderValue JsonType = new("application/json");

    public static async Task<Submit[]> RunAsync(ReelgateJobs reelgate, string phase, int count, int senders)
    {
        var submits = new Submit[count];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Math.Min(senders, count)).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                submits[i] = await SendAsync(reelgate, $"{phase}-{i}", reelgate.Key(i));
            }
        })));
        return submits;
    }

    private static async Task<Submit> SendAsync(ReelgateJobs reelgate, string marker, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, reelgate.Url("/api/v1/render?provider=shotstack"))
        {
            Content = new ByteArrayContent(Edits.Body(marker)),
        };
        request.Content.Headers.ContentType = JsonType;
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var sent = Stopwatch.GetTimestamp();
        HttpResponseMessage response;
        string body;
        try
        {
            response = await reelgate.Client.SendAsync(request);
            body = await response.Content.ReadAsStringAsync();
        }
        catch (HttpRequestException ex)
        {
            throw new BenchFailedException($"submit {marker} got no answer: {ex.Message}");
        }
        var answered = Stopwatch.GetTimestamp();
        using var _ = response;
        if ((int)response.StatusCode != 202) throw new BenchFailedException($"submit {marker} answered {(int)response.StatusCode}: {body}");
        using var document = JsonDocument.Parse(body);
        return new Submit(marker, document.RootElement.GetProperty("id").GetGuid(), sent, answered);
    }
}
