using System.Net;
using System.Net.Http.Json;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Reelgate.Credits;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Billing;

/// <summary>Referral credits: paid with the referred account's first sandbox or Stripe purchase, once, up to the referrer's cap.</summary>
public sealed class ReferralRewardTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    private WebApplicationFactory<Program> App(params (string Key, string? Value)[] settings) =>
        BillingApp.Create(db.ConnectionString, new Dictionary<string, string?>(settings.Select(s => KeyValuePair.Create(s.Key, s.Value))) { ["roles"] = "api" });

    private static async Task<(Guid Id, HttpClient Session, string Code)> ReferrerAsync(WebApplicationFactory<Program> app)
    {
        var (id, session) = await BillingApi.RegisterAsync(app);
        var code = (await (await session.GetAsync("/api/v1/me")).JsonAsync()).GetProperty("referralCode").GetString()!;
        return (id, session, code);
    }

    private static async Task<HttpClient> ReferredAsync(WebApplicationFactory<Program> app, string code)
    {
        var session = app.CreateApiClient();
        var response = await session.PostAsJsonAsync("/api/v1/auth/register",
            new { email = $"referred-{Guid.NewGuid():N}@example.com", password = "correct horse battery", referralCode = code });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return session;
    }

    private static async Task BuyAsync(WebApplicationFactory<Program> app, HttpClient session, object product)
    {
        var (_, checkoutUrl) = await BillingApi.PurchaseAsync(session, product);
        await BillingApi.PaySandboxAsync(app, checkoutUrl);
    }

    private static async Task<List<decimal>> ReferralEntriesAsync(HttpClient session)
    {
        var ledger = await (await session.GetAsync("/api/v1/credits/ledger?kind=referral")).JsonAsync();
        return ledger.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("amount").GetDecimal()).ToList();
    }

    private static async Task AssertLedgerVerifiesAsync(WebApplicationFactory<Program> app)
    {
        var report = await app.Services.GetRequiredService<LedgerVerifier>().VerifyAsync();
        Assert.True(report.Ok, string.Join("; ", report.Problems.Select(p => $"{p.UserId}: {p.Problem}")));
    }

    [Fact]
    public async Task Referral_PaysNothingAtSignUp_ThenBothSidesOnceWithTheFirstPack_AndNothingForTheSecond()
    {
        await using var app = App();
        var referrer = await ReferrerAsync(app);
        var referred = await ReferredAsync(app, referrer.Code);
        Assert.Equal(0m, await BillingApi.AvailableAsync(referrer.Session));
        Assert.Equal(0m, await BillingApi.AvailableAsync(referred));

        await BuyAsync(app, referred, new { pack = "credits-50" });
        Assert.Equal(5m, await BillingApi.AvailableAsync(referrer.Session));
        Assert.Equal(55m, await BillingApi.AvailableAsync(referred));

        await BuyAsync(app, referred, new { pack = "credits-50" });
        Assert.Equal(5m, await BillingApi.AvailableAsync(referrer.Session));
        Assert.Equal(105m, await BillingApi.AvailableAsync(referred));
        Assert.Equal([5m], await ReferralEntriesAsync(referrer.Session));
        Assert.Equal([5m], await ReferralEntriesAsync(referred));
        await AssertLedgerVerifiesAsync(app);
    }

    [Fact]
    public async Task Referral_FirstPurchaseAPlan_PaysWithItsFirstInvoice()
    {
        await using var app = App();
        var referrer = await ReferrerAsync(app);
        var referred = await ReferredAsync(app, referrer.Code);

        await BuyAsync(app, referred, new { plan = "starter" });

        Assert.Equal(5m, await BillingApi.AvailableAsync(referrer.Session));
        Assert.Equal(85m, await BillingApi.AvailableAsync(referred));
        await AssertLedgerVerifiesAsync(app);
    }

    [Fact]
    public async Task Referral_TwoFirstPurchasesFulfilledAtOnce_PayTheReferrerOnce()
    {
        await using var app = App();
        var referrer = await ReferrerAsync(app);
        var referred = await ReferredAsync(app, referrer.Code);
        var checkouts = new List<string>();
        for (var i = 0; i < 2; i++) checkouts.Add((await BillingApi.PurchaseAsync(referred, new { pack = "credits-50" })).CheckoutUrl);

        await Task.WhenAll(checkouts.Select(url => BillingApi.PaySandboxAsync(app, url)));

        Assert.Equal(5m, await BillingApi.AvailableAsync(referrer.Session));
        Assert.Equal(105m, await BillingApi.AvailableAsync(referred));
        Assert.Equal([5m], await ReferralEntriesAsync(referrer.Session));
        await AssertLedgerVerifiesAsync(app);
    }

    [Fact]
    public async Task Referral_60ReferredPurchasesAtOnce_WithTheDefaultCap_PayTheReferrerFor50_AndRecordAll60()
    {
        await using var app = App();
        var referrer = await ReferrerAsync(app);
        var checkouts = new List<string>();
        var referred = new List<HttpClient>();
        for (var i = 0; i < 60; i++)
        {
            var session = await ReferredAsync(app, referrer.Code);
            referred.Add(session);
            checkouts.Add((await BillingApi.PurchaseAsync(session, new { pack = "credits-50" })).CheckoutUrl);
        }

        await Task.WhenAll(checkouts.Select(url => BillingApi.PaySandboxAsync(app, url)));

        Assert.Equal(250m, await BillingApi.AvailableAsync(referrer.Session));
        Assert.Equal(50, (await ReferralEntriesAsync(referrer.Session)).Count);
        foreach (var session in referred) Assert.Equal(55m, await BillingApi.AvailableAsync(session));
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        var (recorded, paid) = await connection.QuerySingleAsync<(long, long)>(
            "SELECT count(*), count(*) FILTER (WHERE referrer_credits > 0) FROM referral_redemptions WHERE referrer_id = @Id", new { referrer.Id });
        Assert.Equal((60L, 50L), (recorded, paid));
        await AssertLedgerVerifiesAsync(app);
    }

    [Fact]
    public async Task Referral_WithRewardOnSignUp_PaysBothSidesAtRegistration_AndNotAgainWithAPurchase()
    {
        await using var app = App(("Referrals:RewardOn", "sign-up"));
        var referrer = await ReferrerAsync(app);
        var referred = await ReferredAsync(app, referrer.Code);
        Assert.Equal(5m, await BillingApi.AvailableAsync(referrer.Session));
        Assert.Equal(5m, await BillingApi.AvailableAsync(referred));

        await BuyAsync(app, referred, new { pack = "credits-50" });

        Assert.Equal(5m, await BillingApi.AvailableAsync(referrer.Session));
        Assert.Equal(55m, await BillingApi.AvailableAsync(referred));
        await AssertLedgerVerifiesAsync(app);
    }

    [Fact]
    public async Task Referral_WithRewardOnSignUp_StillStopsPayingTheReferrerAtTheCap()
    {
        await using var app = App(("Referrals:RewardOn", "sign-up"), ("Referrals:RewardCap", "2"));
        var referrer = await ReferrerAsync(app);

        var referred = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => ReferredAsync(app, referrer.Code)));

        Assert.Equal(10m, await BillingApi.AvailableAsync(referrer.Session));
        foreach (var session in referred) Assert.Equal(5m, await BillingApi.AvailableAsync(session));
        await AssertLedgerVerifiesAsync(app);
    }

    [Fact]
    public async Task Startup_WithAnUnknownRewardOn_FailsWithAClearMessage()
    {
        await using var app = App(("Referrals:RewardOn", "whenever"));

        var failure = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("Referrals:RewardOn must be 'first-purchase' or 'sign-up'", failure.InnerException?.Message ?? failure.Message);
    }

    [Fact]
    public async Task Referral_StripeCheckoutCompletedTwiceUnderNewEventIds_PaysTheReferrerOnce()
    {
        await using var stripe = await FakeStripe.StartAsync();
        await using var app = App([.. stripe.Settings.Select(s => (s.Key, s.Value))]);
        var referrer = await ReferrerAsync(app);
        var referred = await ReferredAsync(app, referrer.Code);
        var (_, url) = await BillingApi.PurchaseAsync(referred, new { pack = "credits-50" });
        var sessionId = url.Split('/')[^1];
        var webhook = app.CreateClient();

        foreach (var type in new[] { "checkout.session.completed", "checkout.session.completed", "checkout.session.async_payment_succeeded" })
        {
            Assert.Equal(HttpStatusCode.OK, (await FakeStripe.SendAsync(webhook, stripe.Event(type, stripe.CompletedSession(sessionId)))).StatusCode);
        }

        Assert.Equal(5m, await BillingApi.AvailableAsync(referrer.Session));
        Assert.Equal(55m, await BillingApi.AvailableAsync(referred));
        await AssertLedgerVerifiesAsync(app);
    }

    [Fact]
    public async Task Referral_RedeemedAfterSignUp_PaysWithTheNextPurchase()
    {
        await using var app = App();
        var referrer = await ReferrerAsync(app);
        var (_, newcomer) = await BillingApi.RegisterAsync(app);
        var redeemed = await (await newcomer.PostAsJsonAsync("/api/v1/credits/redeem-referral", new { code = referrer.Code })).JsonAsync();
        Assert.Equal((0m, 5m), (redeemed.GetProperty("granted").GetDecimal(), redeemed.GetProperty("pending").GetDecimal()));

        await BuyAsync(app, newcomer, new { pack = "credits-50" });

        Assert.Equal(5m, await BillingApi.AvailableAsync(referrer.Session));
        Assert.Equal(55m, await BillingApi.AvailableAsync(newcomer));
    }

    [Fact]
    public async Task Referral_RedeemedWithRewardOnSignUp_AnswersGranted()
    {
        await using var app = App(("Referrals:RewardOn", "sign-up"));
        var referrer = await ReferrerAsync(app);
        var (_, newcomer) = await BillingApi.RegisterAsync(app);

        var redeemed = await (await newcomer.PostAsJsonAsync("/api/v1/credits/redeem-referral", new { code = referrer.Code })).JsonAsync();

        Assert.Equal((5m, 0m), (redeemed.GetProperty("granted").GetDecimal(), redeemed.GetProperty("pending").GetDecimal()));
        Assert.Equal(5m, await BillingApi.AvailableAsync(referrer.Session));
        Assert.Equal(5m, await BillingApi.AvailableAsync(newcomer));
    }
}
