using System.Text.Json;

namespace Reelgate.Bench.ProxyLoad;

/// <summary>When the fake upstream received each marked render (microseconds on <see cref="Clock"/>), read from its /bench/arrivals.</summary>
internal sealed class Arrivals(HttpClient client, Uri url)
{
    public sealed record Received(IReadOnlyDictionary<string, long> AtMicroseconds, long Polls);

    /// <summary>Every arrival so far, once all <paramref name="expected"/> renders of the phase are in.</summary>
    public async Task<Received> WaitForAsync(string phase, int expected, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var prefix = phase + "-";
        while (true)
        {
            var received = await ReadAsync();
            var count = received.AtMicroseconds.Keys.Count(m => m.StartsWith(prefix, StringComparison.Ordinal));
            if (count >= expected) return received;
            if (DateTime.UtcNow > deadline)
            {
                throw new BenchFailedException($"only {count} of {expected} renders of phase '{phase}' reached the fake within {timeout.TotalSeconds:0} s");
            }
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Has the fake fail the phase's renders, with their callbacks, so that Reelgate ends those jobs and reads their
    /// statuses no more: a later phase is measured without the status reads of the renders before it.
    /// </summary>
    public async Task<int> FailAsync(string phase)
    {
        using var response = await client.PostAsync(new Uri(url, $"/bench/fail?prefix={Uri.EscapeDataString(phase + "-")}"), null);
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("ended").GetInt32();
    }

    private async Task<Received> ReadAsync()
    {
        using var document = JsonDocument.Parse(await client.GetStringAsync(url));
        var at = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var arrival in document.RootElement.GetProperty("arrivals").EnumerateArray())
        {
            var marker = arrival.GetProperty("marker").GetString() ?? "";
            if (!at.TryAdd(marker, arrival.GetProperty("atMicroseconds").GetInt64()))
            {
                throw new BenchFailedException($"the fake received {marker} more than once: a render was submitted upstream twice");
            }
        }
        return new Received(at, document.RootElement.GetProperty("polls").GetInt64());
    }
}
