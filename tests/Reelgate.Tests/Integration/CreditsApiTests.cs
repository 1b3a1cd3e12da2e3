using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Reelgate.Accounts;
using Reelgate.Credits;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Integration;

public sealed class CreditsApiTests : IClassFixture<TestDatabase>, IDisposable
{
    private readonly ReelgateFactory _app;

    public CreditsApiTests(TestDatabase db) => _app = new ReelgateFactory(db.ConnectionString);

    public void Dispose() => _app.Dispose();


    [Fact]
    public async Task AdminAdjustment_ChangesBalance_AppearsInLedgerWithReason_AndIsAudited()
    {
        var admin = await Api.AdminSessionAsync(_app);
        var user = await Api.RegisterAsync(_app);

        var response = await admin.PostAsJsonAsync($"/api/v1/admin/users/{user.Id}/credits", new { amount = 12.5m, reason = "goodwill" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var credits = await (await user.Session.GetAsync("/api/v1/credits")).JsonAsync();
        Assert.Equal(12.5m, credits.GetProperty("available").GetDecimal());
        Assert.Equal(0m, credits.GetProperty("held").GetDecimal());
        var ledger = await (await user.Session.GetAsync("/api/v1/credits/ledger")).JsonAsync();
        var entry = Assert.Single(ledger.GetProperty("data").EnumerateArray());
        Assert.Equal("adjustment", entry.GetProperty("kind").GetString());
        Assert.Equal("goodwill", entry.GetProperty("reason").GetString());
        Assert.Equal(12.5m, entry.GetProperty("availableAfter").GetDecimal());

        var dataSource = _app.Services.GetRequiredService<Npgsql.NpgsqlDataSource>();
        await using var connection = await dataSource.OpenConnectionAsync();
        var audit = await Dapper.SqlMapper.QuerySingleAsync<(Guid? Actor, string Details)>(connection,
            "SELECT actor_id, details::text FROM audit_log WHERE target_id = @id AND action = 'credits.adjust'", new { id = user.Id.ToString() });
        Assert.NotNull(audit.Actor);
        Assert.Contains("goodwill", audit.Details);

        var verify = await (await admin.GetAsync("/api/v1/admin/ledger/verify")).JsonAsync();
        Assert.True(verify.GetProperty("ok").GetBoolean());
        Assert.True(verify.GetProperty("accounts").GetInt32() >= 2);
    }

    [Fact]
    public async Task AdminAdjustment_WithoutReason_Returns400NamingTheField()
    {
        var admin = await Api.AdminSessionAsync(_app);
        var user = await Api.RegisterAsync(_app);
        var response = await admin.PostAsJsonAsync($"/api/v1/admin/users/{user.Id}/credits", new { amount = 5 });
        var problem = await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation");
        Assert.True(problem.GetProperty("errors").TryGetProperty("reason", out _));
    }

    [Fact]
    public async Task AdminAdjustment_BelowZero_Returns422AndChangesNothing()
    {
        var admin = await Api.AdminSessionAsync(_app);
        var user = await Api.RegisterAsync(_app);
        await admin.PostAsJsonAsync($"/api/v1/admin/users/{user.Id}/credits", new { amount = 2m, reason = "seed" });

        var response = await admin.PostAsJsonAsync($"/api/v1/admin/users/{user.Id}/credits", new { amount = -3m, reason = "too much" });

        await Api.AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "balance-too-low");
        var credits = await (await user.Session.GetAsync("/api/v1/credits")).JsonAsync();
        Assert.Equal(2m, credits.GetProperty("available").GetDecimal());
    }

    [Fact]
    public async Task Ledger_PagesNewestFirstWithCursor()
    {
        var user = await Api.RegisterAsync(_app);
        var adjustments = _app.Services.GetRequiredService<CreditAdjustments>();
        for (var i = 1; i <= 5; i++) await adjustments.AdjustAsync(user.Id, i, $"grant {i}", null, LedgerKinds.Grant, null);

        var first = await (await user.Session.GetAsync("/api/v1/credits/ledger?limit=3")).JsonAsync();
        var cursor = first.GetProperty("nextCursor").GetString();
        var second = await (await user.Session.GetAsync($"/api/v1/credits/ledger?limit=3&cursor={cursor}")).JsonAsync();

        var amounts = first.GetProperty("data").EnumerateArray().Concat(second.GetProperty("data").EnumerateArray())
            .Select(e => e.GetProperty("amount").GetDecimal()).ToList();
        Assert.Equal([5m, 4m, 3m, 2m, 1m], amounts);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);
    }

    [Fact]
    public async Task Referral_Redeemed_IsPendingUntilAPurchase_AndRefusesOwnUnknownAndSecondCodes()
    {
        var referrer = await Api.RegisterAsync(_app);
        var code = (await (await referrer.Session.GetAsync("/api/v1/me")).JsonAsync()).GetProperty("referralCode").GetString();
        var newcomer = await Api.RegisterAsync(_app);

        var redeemed = await newcomer.Session.PostAsJsonAsync("/api/v1/credits/redeem-referral", new { code });
        Assert.Equal(HttpStatusCode.OK, redeemed.StatusCode);
        var result = await redeemed.JsonAsync();
        Assert.Equal(0m, result.GetProperty("granted").GetDecimal());
        Assert.Equal(5m, result.GetProperty("pending").GetDecimal());

        await Api.AssertProblemAsync(await newcomer.Session.PostAsJsonAsync("/api/v1/credits/redeem-referral", new { code }), HttpStatusCode.UnprocessableEntity, "referral-already-redeemed");
        await Api.AssertProblemAsync(await referrer.Session.PostAsJsonAsync("/api/v1/credits/redeem-referral", new { code }), HttpStatusCode.UnprocessableEntity, "referral-own-code");
        await Api.AssertProblemAsync(await referrer.Session.PostAsJsonAsync("/api/v1/credits/redeem-referral", new { code = "NOSUCHCODE" }), HttpStatusCode.UnprocessableEntity, "referral-code-unknown");

        foreach (var user in new[] { referrer, newcomer })
        {
            var credits = await (await user.Session.GetAsync("/api/v1/credits")).JsonAsync();
            Assert.Equal(0m, credits.GetProperty("available").GetDecimal());
        }
    }
}
