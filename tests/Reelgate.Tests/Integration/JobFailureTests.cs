using System.Diagnostics;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Reelgate.Credits;
using Reelgate.Jobs;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Integration;

/// <summary>Jobs that break their worker in ways no runner foresaw still end, and give their credits back.</summary>
public sealed class JobFailureTests : IClassFixture<TestDatabase>, IDisposable
{
    private readonly ReelgateFactory _app;

    public JobFailureTests(TestDatabase db) => _app = new ReelgateFactory(db.ConnectionString, new Dictionary<string, string?>
    {
        ["Jobs:WorkerConcurrency"] = "1",
        ["Jobs:PollInterval"] = "00:00:00.300",
        ["Jobs:RetryBaseDelay"] = "00:00:00.100",
        ["Jobs:MaxAttempts"] = "2",
    });

    public void Dispose() => _app.Dispose();

    /// <summary>Queues a job the way submission does, with a request of our choosing.</summary>
    private async Task<(Registered User, Guid JobId)> QueueAsync(string kind, string request, int attemptsAlreadyUsed = 0)
    {
        var user = await Api.RegisterAsync(_app);
        await _app.Services.GetRequiredService<CreditAdjustments>().AdjustAsync(user.Id, 1m, "test", null, LedgerKinds.Grant, null);
        var job = new JobRecord(Guid.CreateVersion7(), user.Id, kind, JobStatus.Queued, 0, "local", request, 0.5m, null, null, null,
            attemptsAlreadyUsed, 2, null, DateTime.UtcNow, DateTime.UtcNow, null);
        // The attempts already used are set in the admission's own batch, before any worker can claim the job.
        var usedAttempts = new NpgsqlBatchCommand("UPDATE jobs SET attempts = $1 WHERE id = $2")
        {
            Parameters = { new NpgsqlParameter<int> { TypedValue = attemptsAlreadyUsed }, new NpgsqlParameter<Guid> { TypedValue = job.Id } },
        };
        Assert.IsType<SubmitResult.Accepted>(await _app.Services.GetRequiredService<JobAdmission>().QueueAsync(job, 5, CancellationToken.None, usedAttempts));
        return (user, job.Id);
    }

    private static async Task<JsonElement> FinalAsync(HttpClient client, Guid id)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var job = await (await client.GetAsync($"/api/v1/job/{id}")).JsonAsync();
            if (job.GetProperty("status").GetString() is "done" or "failed" || clock.Elapsed > TimeSpan.FromSeconds(30)) return job;
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task UnforeseenErrorInARunner_IsRetried_ThenFailsTheJobAndReleasesTheCredits()
    {
        // A key the store refuses outright: the local generator has no answer for that, so the worker's catch-all must.
        var (user, id) = await QueueAsync("generation", """{"prompt": "x", "durationSec": 5, "seed": 1, "ratio": "16:9", "imageKey": "images/../escape.png"}""");

        var job = await FinalAsync(user.Session, id);

        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Equal("internal-error", job.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains(job.GetProperty("events").EnumerateArray(), e => e.GetProperty("message").GetString()!.Contains("retrying", StringComparison.Ordinal));
        Assert.Equal(0.5m, job.GetProperty("credits").GetProperty("released").GetDecimal());
        var credits = await (await user.Session.GetAsync("/api/v1/credits")).JsonAsync();
        Assert.Equal(1m, credits.GetProperty("available").GetDecimal());
        Assert.Equal(0m, credits.GetProperty("held").GetDecimal());
    }

    [Fact]
    public async Task JobThatUsedUpItsAttemptsInCrashedWorkers_FailsInsteadOfRunningAgain()
    {
        var (user, id) = await QueueAsync("render", """{"timeline": {"tracks": [{"clips": [{"asset": {"type": "title", "text": "x"}, "start": 0, "length": 1}]}]}, "output": {"format": "mp4", "resolution": "preview"}}""", attemptsAlreadyUsed: 2);

        var job = await FinalAsync(user.Session, id);

        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Equal("attempts-exhausted", job.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(0.5m, job.GetProperty("credits").GetProperty("released").GetDecimal());
    }
}
