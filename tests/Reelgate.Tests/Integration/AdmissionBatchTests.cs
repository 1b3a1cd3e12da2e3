using System.Net;
using System.Text;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Reelgate.Credits;
using Reelgate.Jobs;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Integration;

/// <summary>One user's burst of submissions is admitted in batches; every answer, hold and ledger entry stays exact.</summary>
public sealed class AdmissionBatchTests : IClassFixture<TestDatabase>, IDisposable
{
    private readonly TestDatabase _db;
    private readonly ReelgateFactory _api;

    public AdmissionBatchTests(TestDatabase db)
    {
        _db = db;
        _api = new ReelgateFactory(db.ConnectionString, new Dictionary<string, string?>
        {
            ["roles"] = "api", ["Jobs:MaxActivePerUser"] = "1000", ["RATE_LIMIT_REQUESTS"] = "100000",
        });
    }

    public void Dispose() => _api.Dispose();

    private static StringContent Edit() => new("""
        {"timeline": {"tracks": [{"clips": [{"asset": {"type": "title", "text": "burst"}, "start": 0, "length": 1}]}]},
         "output": {"format": "mp4", "size": {"width": 160, "height": 90}, "fps": 12} }
        """, Encoding.UTF8, "application/json");

    private async Task<(Guid Id, HttpClient Client)> FundedAsync(decimal credits)
    {
        var user = await Api.RegisterAsync(_api);
        await _api.Services.GetRequiredService<CreditAdjustments>().AdjustAsync(user.Id, credits, "test", null, LedgerKinds.Grant, null);
        return (user.Id, user.Session);
    }

    private static JobRecord Job(Guid userId, decimal quote) => new(Guid.CreateVersion7(), userId, "render", JobStatus.Queued, 0, "local",
        """{"timeline": {"tracks": []}}""", quote, null, null, null, 0, 3, null, DateTime.UtcNow, DateTime.UtcNow, null);

    [Fact]
    public async Task BurstFromOneUser_WithCreditsForHalf_AdmitsExactlyHalf_AndTheRestGet402()
    {
        var (userId, client) = await FundedAsync(2.00m);
        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Task.Run(() => client.PostAsync("/api/v1/render", Edit()))));

        Assert.Equal(20, answers.Count(a => a.StatusCode == HttpStatusCode.Accepted));
        foreach (var refused in answers.Where(a => a.StatusCode != HttpStatusCode.Accepted))
        {
            await Api.AssertProblemAsync(refused, HttpStatusCode.PaymentRequired, "insufficient-credits");
        }
        var balance = await _api.Services.GetRequiredService<Ledger>().GetBalanceAsync(userId);
        Assert.Equal(0m, balance!.Available);
        Assert.Equal(2.00m, balance.Held);
        await using var connection = await _api.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        Assert.Equal(20, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM jobs WHERE user_id = @userId", new { userId }));
        Assert.Equal(20, await connection.ExecuteScalarAsync<int>("SELECT active_jobs FROM credit_accounts WHERE user_id = @userId", new { userId }));
        Assert.True((await _api.Services.GetRequiredService<LedgerVerifier>().VerifyAsync()).Ok);
    }

    [Fact]
    public async Task BurstFromOneUser_PastTheActiveJobLimit_AdmitsExactlyTheLimit_AndTheRestGet429()
    {
        using var limited = new ReelgateFactory(_db.ConnectionString, new Dictionary<string, string?>
        {
            ["roles"] = "api", ["Jobs:MaxActivePerUser"] = "7", ["RATE_LIMIT_REQUESTS"] = "100000",
        });
        var user = await Api.RegisterAsync(limited);
        await limited.Services.GetRequiredService<CreditAdjustments>().AdjustAsync(user.Id, 100m, "test", null, LedgerKinds.Grant, null);

        var answers = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => Task.Run(() => user.Session.PostAsync("/api/v1/render", Edit()))));

        Assert.Equal(7, answers.Count(a => a.StatusCode == HttpStatusCode.Accepted));
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.Accepted), a => Assert.Equal(HttpStatusCode.TooManyRequests, a.StatusCode));
        var balance = await limited.Services.GetRequiredService<Ledger>().GetBalanceAsync(user.Id);
        Assert.Equal(0.70m, balance!.Held);
        Assert.True((await limited.Services.GetRequiredService<LedgerVerifier>().VerifyAsync()).Ok);
    }

    [Fact]
    public async Task Batch_AdmitsTheLongestAffordableRunInOrder_EachEntryCarryingTheBalanceAfterIt()
    {
        var (userId, _) = await FundedAsync(1.00m);
        var quotes = new[] { 0.30m, 0.30m, 0.30m, 0.05m, 0.05m };
        var batch = quotes.Select(q => new AdmissionLanes.Pending(Job(userId, q), 100, [], CancellationToken.None)).ToList();

        var admitted = await BatchAdmission.AdmitAsync(_api.Services.GetRequiredService<NpgsqlDataSource>(), batch, CancellationToken.None);

        // Together they cost exactly the balance, so all five go in, in order.
        Assert.Equal(batch.Select(p => p.Job.Id).ToHashSet(), admitted.ToHashSet());
        await using var connection = await _api.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        var after = (await connection.QueryAsync<(decimal Available, decimal Held)>(
            "SELECT available_after, held_after FROM credit_ledger WHERE user_id = @userId AND kind = 'hold' ORDER BY seq", new { userId })).ToList();
        Assert.Equal([(0.70m, 0.30m), (0.40m, 0.60m), (0.10m, 0.90m), (0.05m, 0.95m), (0m, 1.00m)], after);
        Assert.True((await _api.Services.GetRequiredService<LedgerVerifier>().VerifyAsync()).Ok);
    }

    [Fact]
    public async Task Batch_StopsAtTheFirstSubmissionTheBalanceCannotCover_AndLeavesTheRestUnwritten()
    {
        var (userId, _) = await FundedAsync(1.00m);
        var batch = new[] { 0.40m, 0.40m, 0.40m, 0.10m }.Select(q => new AdmissionLanes.Pending(Job(userId, q), 100, [], CancellationToken.None)).ToList();

        var admitted = await BatchAdmission.AdmitAsync(_api.Services.GetRequiredService<NpgsqlDataSource>(), batch, CancellationToken.None);

        Assert.Equal(batch.Take(2).Select(p => p.Job.Id).ToHashSet(), admitted.ToHashSet());
        await using var connection = await _api.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        Assert.Equal(2, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM jobs WHERE user_id = @userId", new { userId }));
        Assert.Equal(2, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM job_events e JOIN jobs j ON j.id = e.job_id WHERE j.user_id = @userId", new { userId }));
        var balance = await _api.Services.GetRequiredService<Ledger>().GetBalanceAsync(userId);
        Assert.Equal((0.20m, 0.80m), (balance!.Available, balance.Held));
    }

    [Fact]
    public async Task Batch_StopsAtTheActiveJobLimit()
    {
        var (userId, _) = await FundedAsync(10m);
        var batch = Enumerable.Range(0, 5).Select(_ => new AdmissionLanes.Pending(Job(userId, 0.10m), 3, [], CancellationToken.None)).ToList();

        var admitted = await BatchAdmission.AdmitAsync(_api.Services.GetRequiredService<NpgsqlDataSource>(), batch, CancellationToken.None);

        Assert.Equal(batch.Take(3).Select(p => p.Job.Id).ToHashSet(), admitted.ToHashSet());
        await using var connection = await _api.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        Assert.Equal(3, await connection.ExecuteScalarAsync<int>("SELECT active_jobs FROM credit_accounts WHERE user_id = @userId", new { userId }));
    }
}
