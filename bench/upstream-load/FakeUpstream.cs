using System.Net.Http.Json;

namespace Reelgate.Bench.UpstreamLoad;

/// <summary>The fake Shotstack's counters: renders in flight now and at the peak since the last reset, status polls, callbacks.</summary>
internal sealed record FakeStats(int Accepted, int InFlight, int PeakInFlight, long Polls, int Callbacks, int CallbacksFailed);

/// <summary>One render at the fake, in microseconds on CLOCK_MONOTONIC; null where it has not happened.</summary>
internal sealed record FakeRender(string Id, string Marker, long AcceptedAt, long? FinishedAt, long? FirstDonePollAt, long? OutputAt,
    long? CallbackAt, int? CallbackStatus, int Polls);

internal sealed class FakeUpstream(HttpClient client, Uri baseUrl)
{
    public async Task ResetPeakAsync()
    {
        using var response = await client.PostAsync(new Uri(baseUrl, "/bench/stats/reset"), null);
        response.EnsureSuccessStatusCode();
    }

    public async Task<FakeStats> StatsAsync() =>
        await client.GetFromJsonAsync<FakeStats>(new Uri(baseUrl, "/bench/stats")) ?? throw new BenchFailedException("the fake sent no stats");

    public async Task<FakeRender[]> RendersAsync() =>
        await client.GetFromJsonAsync<FakeRender[]>(new Uri(baseUrl, "/bench/renders")) ?? throw new BenchFailedException("the fake sent no renders");
}
