using System.Diagnostics;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Reelgate.Credits;
using Reelgate.Jobs;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Integration;

/// <summary>Leases stay long, yet a worker that stops hands its jobs back at once and one that dies is noticed in seconds.</summary>
public sealed class WorkerLeaseTests(TestDatabase db) : IClassFixture<TestDatabase>, IDisposable
{
    private readonly ReelgateFactory _api = new(db.ConnectionString, new Dictionary<string, string?> { ["roles"] = "api" });

    public void Dispose() => _api.Dispose();

    private ReelgateFactory Worker() => new(db.ConnectionString, new Dictionary<string, string?>
    {
        ["roles"] = "worker", ["Jobs:WorkerConcurrency"] = "1", ["Jobs:PollInterval"] = "00:00:00.500",
        ["Jobs:HeartbeatInterval"] = "00:00:00.500", ["Jobs:WorkerTimeout"] = "00:00:03", ["Rendering:Preset"] = "ultrafast",
    });

    private static string TitleEdit(int seconds, string resolution) => $$$"""
        {"timeline": {"tracks": [{"clips": [{"asset": {"type": "title", "text": "lease"}, "start": 0, "length": {{{seconds}}}}]}]},
         "output": {"format": "mp4", "resolution": "{{{resolution}}}"}}
        """;

    private async Task<HttpClient> FundedClientAsync()
    {
        var user = await Api.RegisterAsync(_api);
        await _api.Services.GetRequiredService<CreditAdjustments>().AdjustAsync(user.Id, 20m, "test", null, LedgerKinds.Grant, null);
        return user.Session;
    }

    [Fact]
    public async Task StoppedWorker_HandsItsRunningJobBackAtOnce_WithoutSpendingAnAttempt()
    {
        var client = await FundedClientAsync();
        var id = (await (await client.PostAsync("/api/v1/render", Api.Json(TitleEdit(120, "1080")))).JsonAsync()).GetProperty("id").GetGuid();
        var first = Worker();
        var firstId = first.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<JobWorker>().Single().Id;
        await WaitForAsync(client, id, status => status == "rendering", TimeSpan.FromSeconds(30));

        var clock = Stopwatch.StartNew();
        await first.DisposeAsync();
        clock.Stop();

        await using var connection = db.CreateDataSource().CreateConnection();
        var row = await connection.QuerySingleAsync<(Guid? Owner, DateTime? Until, int Attempts, string Status)>(
            "SELECT lease_owner, lease_until, attempts, status FROM jobs WHERE id = @id", new { id });
        Assert.Null(row.Owner);
        Assert.Null(row.Until);
        Assert.Equal(0, row.Attempts);
        Assert.Equal("rendering", row.Status);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"stopping took {clock.Elapsed}");
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM job_workers WHERE id = @firstId", new { firstId }));

        await using var second = Worker();
        _ = second.Services;
        var resumed = Stopwatch.StartNew();
        while (await connection.ExecuteScalarAsync<Guid?>("SELECT lease_owner FROM jobs WHERE id = @id", new { id }) is null)
        {
            Assert.True(resumed.Elapsed < TimeSpan.FromSeconds(15), "the second worker did not take the job over");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task JobOfAWorkerThatDied_IsTakenOverWithinSeconds_ThoughItsLeaseRunsAMinute()
    {
        var client = await FundedClientAsync();
        var id = (await (await client.PostAsync("/api/v1/render", Api.Json(TitleEdit(1, "sd")))).JsonAsync()).GetProperty("id").GetGuid();
        var dead = Guid.CreateVersion7();
        await _api.Services.GetRequiredService<WorkerRegistry>().BeatAsync(dead, CancellationToken.None);
        var claimed = await _api.Services.GetRequiredService<JobQueue>().ClaimAsync(dead, CancellationToken.None);
        Assert.Equal(id, claimed?.Id);
        var clock = Stopwatch.StartNew();

        await using var worker = Worker();
        _ = worker.Services;
        var job = await WaitForAsync(client, id, status => status is "done" or "failed", TimeSpan.FromSeconds(40));

        Assert.Equal("done", job.GetProperty("status").GetString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}, the lease is 60 s");
        Assert.True((await _api.Services.GetRequiredService<LedgerVerifier>().VerifyAsync()).Ok);
    }

    [Fact]
    public async Task JobOfAWorkerStillBeating_KeepsItsLease()
    {
        var client = await FundedClientAsync();
        var id = (await (await client.PostAsync("/api/v1/render", Api.Json(TitleEdit(1, "sd")))).JsonAsync()).GetProperty("id").GetGuid();
        var alive = Guid.CreateVersion7();
        var registry = _api.Services.GetRequiredService<WorkerRegistry>();
        var queue = _api.Services.GetRequiredService<JobQueue>();
        await registry.BeatAsync(alive, CancellationToken.None);
        Assert.Equal(id, (await queue.ClaimAsync(alive, CancellationToken.None))?.Id);

        await Task.Delay(TimeSpan.FromSeconds(1));
        await registry.BeatAsync(alive, CancellationToken.None);

        Assert.Null(await queue.ClaimAsync(Guid.CreateVersion7(), CancellationToken.None));
    }

    private static async Task<JsonElement> WaitForAsync(HttpClient client, Guid id, Func<string, bool> until, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var job = await (await client.GetAsync($"/api/v1/job/{id}")).JsonAsync();
            if (until(job.GetProperty("status").GetString()!) || clock.Elapsed > timeout) return job;
            await Task.Delay(100);
        }
    }
}
