using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Reelgate.Credits;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Integration;

public sealed class LedgerTests : IClassFixture<TestDatabase>, IDisposable
{
    private readonly ReelgateFactory _app;
    private readonly TestDatabase _db;

    public LedgerTests(TestDatabase db)
    {
        _db = db;
        _app = new ReelgateFactory(db.ConnectionString);
    }

    public void Dispose() => _app.Dispose();

    private T Service<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    private async Task<Guid> UserWithCreditsAsync(decimal credits)
    {
        var user = await Api.RegisterAsync(_app);
        var result = await Service<CreditAdjustments>().AdjustAsync(user.Id, credits, "test funds", null, LedgerKinds.Grant, null);
        Assert.IsType<LedgerResult.Applied>(result);
        return user.Id;
    }

    [Fact]
    public async Task ConcurrentHolds_AgainstBalanceOf50_Exactly50SucceedAndLedgerVerifies()
    {
        var userId = await UserWithCreditsAsync(50m);
        var credits = Service<JobCredits>();

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(() => credits.HoldAsync(userId, Guid.CreateVersion7(), 1m))));

        Assert.Equal(50, results.Count(r => r is LedgerResult.Applied));
        Assert.Equal(150, results.Count(r => r is LedgerResult.Insufficient));
        var balance = await Service<Ledger>().GetBalanceAsync(userId);
        Assert.Equal(new Balance(0m, 50m), balance);
        var report = await Service<LedgerVerifier>().VerifyAsync();
        Assert.True(report.Ok, string.Join("; ", report.Problems));
    }

    [Fact]
    public async Task SameHold_Repeated_ChargesOnce()
    {
        var userId = await UserWithCreditsAsync(10m);
        var jobId = Guid.CreateVersion7();
        var credits = Service<JobCredits>();

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => credits.HoldAsync(userId, jobId, 2.5m))));

        Assert.Single(results, r => r is LedgerResult.Applied);
        Assert.Equal(9, results.Count(r => r is LedgerResult.AlreadyApplied));
        Assert.Equal(new Balance(7.5m, 2.5m), await Service<Ledger>().GetBalanceAsync(userId));
    }

    [Fact]
    public async Task Settle_CapturesTheChargeReleasesTheRest_ExactlyOnce()
    {
        var userId = await UserWithCreditsAsync(5m);
        var jobId = Guid.CreateVersion7();
        var credits = Service<JobCredits>();
        await credits.HoldAsync(userId, jobId, 2m);

        var settlements = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Task.Run(() => credits.SettleAsync(userId, jobId, 0.37m))));

        Assert.All(settlements, s => Assert.Equal(new Settlement(2m, 0.37m, 1.63m), s));
        Assert.Equal(new Balance(4.63m, 0m), await Service<Ledger>().GetBalanceAsync(userId));
        Assert.True((await Service<LedgerVerifier>().VerifyAsync()).Ok);
        var kinds = (await Service<Ledger>().ListAsync(userId, 10, null, null)).Select(e => e.Kind);
        Assert.Equal(["release", "capture", "hold", "grant"], kinds);
    }

    [Fact]
    public async Task Settle_ChargeAboveHold_CapturesOnlyWhatWasHeld()
    {
        var userId = await UserWithCreditsAsync(5m);
        var jobId = Guid.CreateVersion7();
        var credits = Service<JobCredits>();
        await credits.HoldAsync(userId, jobId, 1m);

        var settlement = await credits.SettleAsync(userId, jobId, 3m);

        Assert.Equal(new Settlement(1m, 1m, 0m), settlement);
        Assert.Equal(new Balance(4m, 0m), await Service<Ledger>().GetBalanceAsync(userId));
    }

    [Fact]
    public async Task Ledger_RejectsUpdatesAndDeletes()
    {
        var userId = await UserWithCreditsAsync(1m);
        await using var connection = new NpgsqlConnection(_db.ConnectionString);
        var error = await Assert.ThrowsAsync<PostgresException>(() =>
            connection.ExecuteAsync("UPDATE credit_ledger SET amount = 1000 WHERE user_id = @userId", new { userId }));
        Assert.Contains("append-only", error.MessageText);
        await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync("DELETE FROM credit_ledger WHERE user_id = @userId", new { userId }));
    }

    [Fact]
    public async Task Verify_DetectsAnAccountThatDisagreesWithItsLedger()
    {
        var userId = await UserWithCreditsAsync(3m);
        await using var connection = new NpgsqlConnection(_db.ConnectionString);
        await connection.ExecuteAsync("UPDATE credit_accounts SET available = available + 1 WHERE user_id = @userId", new { userId });

        var report = await Service<LedgerVerifier>().VerifyAsync();

        Assert.False(report.Ok);
        Assert.Contains(report.Problems, p => p.UserId == userId);
        await connection.ExecuteAsync("UPDATE credit_accounts SET available = available - 1 WHERE user_id = @userId", new { userId });
    }
}
