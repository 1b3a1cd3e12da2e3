using System.Net.Http.Headers;
using System.Text.Json;

namespace Reelgate.Bench.UpstreamLoad;

/// <summary>A job as Reelgate's list shows it once it is over.</summary>
internal sealed record FinishedJob(Guid Id, string Status, DateTime? CompletedAt, string? Error);

/// <summary>Reelgate's job API as the bench reads it: whether any job is still active, and every job at the end.</summary>
internal sealed class ReelgateJobs(HttpClient client, Uri baseUrl, string[] keys)
{
    private static readonly string[] ActiveStatuses = ["queued", "fetching", "rendering", "saving"];
    private static readonly TimeSpan PollEvery = TimeSpan.FromSeconds(1);

    public HttpClient Client => client;

    public Uri Url(string pathAndQuery) => new(baseUrl, pathAndQuery);

    /// <summary>The key render i is submitted with: the users take turns.</summary>
    public string Key(int i) => keys[i % keys.Length];

    /// <summary>
    /// Asks once a second whether a job of any active status is left (per user, one job per status: four small reads),
    /// so the watching costs Reelgate next to nothing; when the jobs ended comes from their completedAt, not from this.
    /// </summary>
    public async Task WaitUntilNoneActiveAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var active = 0;
            foreach (var key in keys)
            {
                foreach (var status in ActiveStatuses)
                {
                    active += (await PageAsync(key, $"/api/v1/jobs?status={status}&limit=1")).Jobs.Count;
                    if (active > 0) break;
                }
                if (active > 0) break;
            }
            if (active == 0) return;
            if (DateTime.UtcNow > deadline) throw new BenchFailedException($"jobs were still active after {timeout.TotalSeconds:0} s");
            await Task.Delay(PollEvery);
        }
    }

    /// <summary>The given jobs from Reelgate's list; fails unless every one of them is done.</summary>
    public async Task<IReadOnlyDictionary<Guid, FinishedJob>> CheckDoneAsync(IReadOnlySet<Guid> ids)
    {
        var found = new Dictionary<Guid, FinishedJob>();
        foreach (var key in keys)
        {
            string? cursor = null;
            do
            {
                var page = await PageAsync(key, $"/api/v1/jobs?limit=100{(cursor is null ? "" : $"&cursor={cursor}")}");
                foreach (var job in page.Jobs.Where(j => ids.Contains(j.Id))) found[job.Id] = job;
                cursor = page.NextCursor;
            } while (cursor is not null && found.Count < ids.Count);
        }
        if (found.Count < ids.Count) throw new BenchFailedException($"only {found.Count} of {ids.Count} jobs are in Reelgate's list");
        var notDone = found.Values.Where(j => j.Status != "done").ToList();
        if (notDone.Count > 0)
        {
            var first = notDone[0];
            throw new BenchFailedException($"{notDone.Count} of {ids.Count} jobs are not done; {first.Id} is {first.Status}: {first.Error}");
        }
        return found;
    }

    private async Task<(List<FinishedJob> Jobs, string? NextCursor)> PageAsync(string key, string pathAndQuery)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Url(pathAndQuery));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new BenchFailedException($"GET {pathAndQuery} answered {(int)response.StatusCode}: {body}");
        using var document = JsonDocument.Parse(body);
        var jobs = document.RootElement.GetProperty("data").EnumerateArray().Select(j => new FinishedJob(
            j.GetProperty("id").GetGuid(), j.GetProperty("status").GetString() ?? "",
            j.GetProperty("completedAt").ValueKind == JsonValueKind.Null ? null : j.GetProperty("completedAt").GetDateTime().ToUniversalTime(),
            j.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object ? $"{e.GetProperty("code").GetString()}: {e.GetProperty("message").GetString()}" : null))
            .ToList();
        var next = document.RootElement.TryGetProperty("nextCursor", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        return (jobs, next);
    }
}
