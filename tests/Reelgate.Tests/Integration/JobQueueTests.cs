using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Reelgate.Credits;
using Reelgate.Jobs;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Integration;

/// <summary>The queue as operators see it: API-only nodes, worker nodes, crashes and limits.</summary>
public sealed class JobQueueTests : IClassFixture<TestDatabase>, IDisposable
{
    private readonly TestDatabase _db;
    private readonly ReelgateFactory _api;

    public JobQueueTests(TestDatabase db)
    {
        _db = db;
        _api = new ReelgateFactory(db.ConnectionString, new Dictionary<string, string?> { ["roles"] = "api", ["Jobs:Lease"] = "00:00:02" });
    }

    public void Dispose() => _api.Dispose();

    private static StringContent Edit(double seconds) => new($$"""
        {"timeline": {"tracks": [{"clips": [{"asset": {"type": "title", "text": "queue"}, "start": 0, "length": {{seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}} }]}]},
         "output": {"format": "mp4", "size": {"width": 160, "height": 90}, "fps": 12} }
        """, Encoding.UTF8, "application/json");

    private async Task<HttpClient> FundedClientAsync(decimal credits)
    {
        var user = await Api.RegisterAsync(_api);
        await _api.Services.GetRequiredService<CreditAdjustments>().AdjustAsync(user.Id, credits, "test", null, LedgerKinds.Grant, null);
        return user.Session;
    }

    [Fact]
    public async Task CrashedWorkersJob_IsResumedByAnotherWorker_AndCreditsSettleOnce()
    {
        var client = await FundedClientAsync(2m);
        var id = (await (await client.PostAsync("/api/v1/render", Edit(1))).JsonAsync()).GetProperty("id").GetGuid();
        var crashed = Guid.CreateVersion7();
        var claimed = await _api.Services.GetRequiredService<JobQueue>().ClaimAsync(crashed, CancellationToken.None);
        Assert.Equal(id, claimed?.Id);

        using var worker = new ReelgateFactory(_db.ConnectionString, new Dictionary<string, string?>
        {
            ["roles"] = "worker", ["Jobs:Lease"] = "00:00:02", ["Jobs:PollInterval"] = "00:00:00.500", ["Rendering:Preset"] = "ultrafast",
        });
        _ = worker.Services;
        var job = await WaitAsync(client, id, TimeSpan.FromSeconds(60));

        Assert.Equal("done", job.GetProperty("status").GetString());
        Assert.Equal(0.10m, job.GetProperty("credits").GetProperty("charged").GetDecimal());
        var ledger = await (await client.GetAsync("/api/v1/credits/ledger")).JsonAsync();
        Assert.Single(ledger.GetProperty("data").EnumerateArray(), e => e.GetProperty("kind").GetString() == "capture");
        Assert.True((await _api.Services.GetRequiredService<LedgerVerifier>().VerifyAsync()).Ok);
        var credits = await (await client.GetAsync("/api/v1/credits")).JsonAsync();
        Assert.Equal(1.90m, credits.GetProperty("available").GetDecimal());
    }

    [Fact]
    public async Task WorkerStart_RemovesFoldersOfAttemptsWhoseLeaseIsGone_AndKeepsLiveAndUnknownOnes()
    {
        var client = await FundedClientAsync(2m);
        var first = (await (await client.PostAsync("/api/v1/render", Edit(1))).JsonAsync()).GetProperty("id").GetGuid();
        var second = (await (await client.PostAsync("/api/v1/render", Edit(1))).JsonAsync()).GetProperty("id").GetGuid();
        var queue = _api.Services.GetRequiredService<JobQueue>();
        var folders = _api.Services.GetRequiredService<WorkFolders>();
        var live = await queue.ClaimAsync(Guid.CreateVersion7(), CancellationToken.None);
        Assert.NotNull(live);
        var idle = live.Id == first ? second : first;
        var liveFolder = folders.For(live);
        var staleAttempt = folders.For(live with { Attempts = live.Attempts - 1 });
        var unclaimed = Path.Combine(Path.GetDirectoryName(liveFolder)!, $"{idle:N}-1");
        var unrelated = Path.Combine(Path.GetDirectoryName(liveFolder)!, "not-a-job");
        var otherDeployment = Path.Combine(Path.GetDirectoryName(liveFolder)!, $"{Guid.CreateVersion7():N}-1");
        foreach (var folder in new[] { liveFolder, staleAttempt, unclaimed, unrelated, otherDeployment })
        {
            Directory.CreateDirectory(folder);
            await File.WriteAllTextAsync(Path.Combine(folder, "asset-0"), "partial");
        }

        var removed = await folders.RemoveAbandonedAsync(CancellationToken.None);

        Assert.Equal(2, removed);
        Assert.True(Directory.Exists(liveFolder));
        Assert.False(Directory.Exists(staleAttempt));
        Assert.False(Directory.Exists(unclaimed));
        Assert.True(Directory.Exists(unrelated));
        Assert.True(Directory.Exists(otherDeployment));
        foreach (var kept in new[] { liveFolder, unrelated, otherDeployment }) Directory.Delete(kept, recursive: true);
    }

    [Fact]
    public async Task ConcurrentClaims_FromTwoWorkers_NeverTakeTheSameJob()
    {
        var client = await FundedClientAsync(10m);
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++) ids.Add((await (await client.PostAsync("/api/v1/render", Edit(1))).JsonAsync()).GetProperty("id").GetGuid());
        var queue = _api.Services.GetRequiredService<JobQueue>();
        var workers = new[] { Guid.CreateVersion7(), Guid.CreateVersion7() };

        var claims = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => queue.ClaimAsync(workers[i % 2], CancellationToken.None))));

        var claimed = claims.Where(c => c is not null && ids.Contains(c.Id)).Select(c => c!.Id).ToList();
        Assert.Equal(ids.Count, claimed.Count);
        Assert.Equal(ids.Order(), claimed.Order());
    }

    [Fact]
    public async Task SixthActiveJob_Returns429TooManyActiveJobs_AndHoldsNothing()
    {
        var client = await FundedClientAsync(10m);
        for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync("/api/v1/render", Edit(1))).StatusCode);

        var sixth = await client.PostAsync("/api/v1/render", Edit(1));

        await Api.AssertProblemAsync(sixth, HttpStatusCode.TooManyRequests, "too-many-active-jobs");
        var credits = await (await client.GetAsync("/api/v1/credits")).JsonAsync();
        Assert.Equal(0.50m, credits.GetProperty("held").GetDecimal());
        Assert.Equal(9.50m, credits.GetProperty("available").GetDecimal());
    }

    [Fact]
    public async Task TimelineOverTheMaximum_Returns400AtTimeline()
    {
        var client = await FundedClientAsync(20m);
        var response = await client.PostAsync("/api/v1/render", Edit(601));
        var problem = await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation");
        Assert.True(problem.GetProperty("errors").TryGetProperty("timeline", out _), problem.GetRawText());
    }

    private static async Task<JsonElement> WaitAsync(HttpClient client, Guid id, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var job = await (await client.GetAsync($"/api/v1/job/{id}")).JsonAsync();
            if (job.GetProperty("status").GetString() is "done" or "failed" || clock.Elapsed > timeout) return job;
            await Task.Delay(200);
        }
    }
}
