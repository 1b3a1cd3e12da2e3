using System.Diagnostics;
using Dapper;
using Npgsql;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Providers;

/// <summary>Jobs that outlive a worker or their time limit. Each test runs its own app instances against the class's database.</summary>
public sealed class ProviderLifecycleTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    private static object Request => new { prompt = "waves on rocks", durationSec = 5, provider = "runpod" };

    [Fact]
    public async Task WorkerKilledBetweenUpstreamAcceptingAndTheIdBeingStored_DoesNotCreateASecondUpstreamJob()
    {
        await using var runpod = await FakeRunPod.StartAsync();
        runpod.SubmitDelay = TimeSpan.FromSeconds(3);
        runpod.StepDelay = TimeSpan.FromSeconds(2);
        var lease = new Dictionary<string, string?> { ["Jobs:Lease"] = "00:00:02" };
        var first = ProviderApp.Create(db.ConnectionString, [runpod], lease);
        var user = await ProviderApp.FundedUserAsync(first, 1);
        var id = await ProviderApp.SubmitAsync(user.Session, "/api/v1/generate", Request);
        var clock = Stopwatch.StartNew();
        while (runpod.Jobs.IsEmpty && clock.Elapsed < TimeSpan.FromSeconds(20)) await Task.Delay(20);
        Assert.Single(runpod.Jobs);

        // RunPod has created the job but not answered yet: the worker's process goes away now.
        await first.DisposeAsync();
        await using (var check = new NpgsqlConnection(db.ConnectionString))
        {
            var row = await check.QuerySingleAsync<(string? UpstreamId, DateTime? SubmittedAt)>(
                "SELECT upstream_id, upstream_submitted_at FROM jobs WHERE id = @id", new { id });
            Assert.Null(row.UpstreamId);
            Assert.NotNull(row.SubmittedAt);
        }
        await using var second = ProviderApp.Create(db.ConnectionString, [runpod], lease);
        var session = second.CreateApiClient(await LoginKeyAsync(second, user));

        var job = await ProviderApp.FinalAsync(session, id);

        Assert.Equal("done", job.GetProperty("status").GetString());
        Assert.Equal(1, runpod.SubmitCalls);
        Assert.Single(runpod.Jobs);
        Assert.Equal(1m, job.GetProperty("credits").GetProperty("charged").GetDecimal());
    }

    [Fact]
    public async Task GenerationNotFinishedInTime_IsCanceledUpstream_AndReleasesTheCredits()
    {
        await using var runpod = await FakeRunPod.StartAsync();
        runpod.StepDelay = TimeSpan.FromMinutes(5);
        await using var app = ProviderApp.Create(db.ConnectionString, [runpod], new() { ["Generation:TimeoutSeconds"] = "3" });
        var user = await ProviderApp.FundedUserAsync(app, 1);

        var job = await ProviderApp.FinalAsync(user.Session, await ProviderApp.SubmitAsync(user.Session, "/api/v1/generate", Request));

        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Equal("timeout", job.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(runpod.Jobs.Keys.Single(), Assert.Single(runpod.CanceledIds));
        var credits = await ProviderApp.CreditsAsync(user.Session);
        Assert.Equal(1m, credits.GetProperty("available").GetDecimal());
        Assert.Equal(0m, credits.GetProperty("held").GetDecimal());
    }

    private static async Task<string> LoginKeyAsync(ReelgateFactory app, Registered user)
    {
        var client = app.CreateApiClient();
        var login = await client.PostAsync("/api/v1/auth/login", System.Net.Http.Json.JsonContent.Create(new { email = user.Email, password = user.Password }));
        login.EnsureSuccessStatusCode();
        return await Api.CreateKeyAsync(client);
    }
}
