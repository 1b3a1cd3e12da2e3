using System.Net;
using System.Text;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Reelgate.Billing;
using Reelgate.Credits;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Billing;

/// <summary>Plans through the fake Stripe: customers, monthly invoices, plan changes, cancellation, expiry, portal and debts.</summary>
public sealed class StripeSubscriptionTests(TestDatabase db) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private FakeStripe _stripe = null!;
    private WebApplicationFactory<Program> _app = null!;

    public async Task InitializeAsync()
    {
        _stripe = await FakeStripe.StartAsync();
        _app = BillingApp.Create(db.ConnectionString, new Dictionary<string, string?>(_stripe.Settings) { ["roles"] = "api" });
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _stripe.DisposeAsync();
    }

    private async Task<(Guid UserId, HttpClient Session, Guid PaymentId, string SessionId)> SubscribeAsync(string plan = "starter")
    {
        var (userId, session) = await BillingApi.RegisterAsync(_app);
        var (paymentId, url) = await BillingApi.PurchaseAsync(session, new { plan });
        return (userId, session, paymentId, url.Split('/')[^1]);
    }

    private Task<HttpResponseMessage> SendAsync(string type, System.Text.Json.Nodes.JsonObject data, DateTimeOffset? created = null) =>
        FakeStripe.SendAsync(_app.CreateClient(), _stripe.Event(type, data, created));

    [Fact]
    public async Task PlanPurchase_CreatesTheCustomerOnceAndOpensASubscriptionCheckoutForThePlansPrice()
    {
        var (userId, session, paymentId, _) = await SubscribeAsync();
        await BillingApi.PurchaseAsync(session, new { plan = "creator" });

        var customer = Assert.Single(_stripe.RequestsTo("/v1/customers"), r => r.Form["metadata[user_id]"] == userId.ToString());
        Assert.Equal($"customer:{userId}", customer.IdempotencyKey);
        var checkouts = _stripe.RequestsTo("/v1/checkout/sessions").Where(r => r.Form["client_reference_id"] == userId.ToString()).ToList();
        Assert.Equal(2, checkouts.Count);
        var first = checkouts[0];
        Assert.Equal("subscription", first.Form["mode"]);
        Assert.Equal(FakeStripe.StarterPrice, first.Form["line_items[0][price]"]);
        Assert.Equal(paymentId.ToString(), first.Form["subscription_data[metadata][payment_id]"]);
        Assert.Equal("starter", first.Form["subscription_data[metadata][plan]"]);
        Assert.All(checkouts, c => Assert.StartsWith("cus_test_", c.Form["customer"]));
        Assert.Equal(checkouts[0].Form["customer"], checkouts[1].Form["customer"]);
        Assert.All(checkouts, c => Assert.Equal(FakeStripe.ApiVersion, c.StripeVersion));
    }

    [Fact]
    public async Task Subscription_GrantsMonthlyCreditsOnEachInvoicePaid_AndStopsAfterDeletion()
    {
        var (_, session, paymentId, sessionId) = await SubscribeAsync();
        var start = DateTimeOffset.UtcNow.AddDays(-40);
        await SendAsync("checkout.session.completed", _stripe.CompletedSession(sessionId), start);
        var firstInvoice = _stripe.PaidInvoice(sessionId, FakeStripe.StarterPrice, start, "subscription_create");
        await SendAsync("invoice.paid", firstInvoice, start);
        await SendAsync("invoice.paid", firstInvoice, start);
        Assert.Equal(80m, await BillingApi.AvailableAsync(session));
        Assert.Equal("starter", await BillingApi.PlanAsync(session));

        var renewal = start.AddDays(30);
        await SendAsync("invoice.paid", _stripe.PaidInvoice(sessionId, FakeStripe.StarterPrice, renewal), renewal);
        Assert.Equal(160m, await BillingApi.AvailableAsync(session));

        var ended = DateTimeOffset.UtcNow.AddDays(-1);
        await SendAsync("customer.subscription.deleted", _stripe.Subscription(sessionId, FakeStripe.StarterPrice, "canceled", ended), ended);
        await SendAsync("invoice.paid", _stripe.PaidInvoice(sessionId, FakeStripe.StarterPrice, DateTimeOffset.UtcNow), DateTimeOffset.UtcNow);

        Assert.Equal(160m, await BillingApi.AvailableAsync(session));
        Assert.Null(await BillingApi.PlanAsync(session));
        var payments = (await (await session.GetAsync("/api/v1/payments")).JsonAsync()).GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(["renewal", "plan"], payments.Select(p => p.GetProperty("kind").GetString()));
        Assert.All(payments, p => Assert.Equal("paid", p.GetProperty("status").GetString()));
        Assert.Equal(paymentId, payments[1].GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task InvoicePaidBeforeCheckoutCompleted_EndsLikeTheUsualOrder()
    {
        var inOrder = await SubscribeAsync();
        var reversed = await SubscribeAsync();
        var now = DateTimeOffset.UtcNow;

        await SendAsync("checkout.session.completed", _stripe.CompletedSession(inOrder.SessionId), now);
        await SendAsync("invoice.paid", _stripe.PaidInvoice(inOrder.SessionId, FakeStripe.StarterPrice, now, "subscription_create"), now);
        await SendAsync("invoice.paid", _stripe.PaidInvoice(reversed.SessionId, FakeStripe.StarterPrice, now, "subscription_create"), now);
        await SendAsync("checkout.session.completed", _stripe.CompletedSession(reversed.SessionId), now);

        foreach (var user in new[] { inOrder, reversed })
        {
            Assert.Equal(80m, await BillingApi.AvailableAsync(user.Session));
            Assert.Equal("starter", await BillingApi.PlanAsync(user.Session));
            var payment = Assert.Single((await (await user.Session.GetAsync("/api/v1/payments")).JsonAsync()).GetProperty("data").EnumerateArray());
            Assert.Equal(user.PaymentId, payment.GetProperty("id").GetGuid());
            Assert.Equal("paid", payment.GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task SubscriptionUpdated_AnOlderEventDeliveredLate_DoesNotUndoTheNewerPlan()
    {
        var (_, session, _, sessionId) = await SubscribeAsync();
        var now = DateTimeOffset.UtcNow;
        await SendAsync("checkout.session.completed", _stripe.CompletedSession(sessionId), now.AddMinutes(-10));

        await SendAsync("customer.subscription.updated", _stripe.Subscription(sessionId, FakeStripe.CreatorPrice, "active"), now);
        await SendAsync("customer.subscription.updated", _stripe.Subscription(sessionId, FakeStripe.StarterPrice, "active"), now.AddMinutes(-5));
        Assert.Equal("creator", await BillingApi.PlanAsync(session));

        await SendAsync("customer.subscription.deleted", _stripe.Subscription(sessionId, FakeStripe.CreatorPrice, "canceled", now.AddMinutes(1)), now.AddMinutes(1));
        await SendAsync("customer.subscription.updated", _stripe.Subscription(sessionId, FakeStripe.CreatorPrice, "active"), now.AddMinutes(2));
        Assert.Null(await BillingApi.PlanAsync(session));
    }

    [Fact]
    public async Task Refund_OfSpentCredits_RecordsADebtThatBlocksRenderWith402_UntilNewCreditsSettleIt()
    {
        var (userId, session) = await BillingApi.RegisterAsync(_app);
        var (paymentId, url) = await BillingApi.PurchaseAsync(session, new { pack = "credits-50" });
        var sessionId = url.Split('/')[^1];
        await SendAsync("checkout.session.completed", _stripe.CompletedSession(sessionId));
        await _app.Services.GetRequiredService<CreditAdjustments>().AdjustAsync(userId, -40m, "spent on renders", null, LedgerKinds.Adjustment, null);

        await SendAsync("charge.refunded", _stripe.RefundedCharge(_stripe.PaymentIntentOf(sessionId), 800, 800));

        Assert.Equal(0m, await BillingApi.AvailableAsync(session));
        await using (var connection = new NpgsqlConnection(db.ConnectionString))
        {
            Assert.Equal(40m, await connection.ExecuteScalarAsync<decimal>("SELECT remaining FROM billing_debts WHERE payment_id = @paymentId", new { paymentId }));
        }
        await _app.Services.GetRequiredService<CreditAdjustments>().AdjustAsync(userId, 5m, "goodwill", null, LedgerKinds.Grant, null);
        var blocked = await session.PostAsync("/api/v1/render", Api.Json(TitleEdit));
        var problem = await Api.AssertProblemAsync(blocked, HttpStatusCode.PaymentRequired, "outstanding-balance");
        Assert.Equal(35m, problem.GetProperty("owed").GetDecimal());
        // The refused render wrote nothing: the 5 available still sit beside the whole 40 owed.
        Assert.Equal(5m, await BillingApi.AvailableAsync(session));
        var blockedGeneration = await session.PostAsync("/api/v1/generate",
            Api.Json("""{"prompt": "a quiet harbour", "durationSec": 5}"""));
        await Api.AssertProblemAsync(blockedGeneration, HttpStatusCode.PaymentRequired, "outstanding-balance");
        Assert.Equal(5m, await BillingApi.AvailableAsync(session));

        var (_, nextUrl) = await BillingApi.PurchaseAsync(session, new { pack = "credits-50" });
        await SendAsync("checkout.session.completed", _stripe.CompletedSession(nextUrl.Split('/')[^1]));

        Assert.Equal(5m + 50m - 40m, await BillingApi.AvailableAsync(session));
        var accepted = await session.PostAsync("/api/v1/render", Api.Json(TitleEdit));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
    }

    [Fact]
    public async Task SubscriptionCredits_ExpireAfterTheRolloverWindow_OnlyTheUnspentPartOfTheOldestGrant()
    {
        var (userId, session, _, sessionId) = await SubscribeAsync();
        var now = DateTimeOffset.UtcNow;
        await SendAsync("invoice.paid", _stripe.PaidInvoice(sessionId, FakeStripe.StarterPrice, now, "subscription_create"), now);
        var adjustments = _app.Services.GetRequiredService<CreditAdjustments>();
        await adjustments.AdjustAsync(userId, -30m, "spent", null, LedgerKinds.Adjustment, null);
        await SendAsync("invoice.paid", _stripe.PaidInvoice(sessionId, FakeStripe.StarterPrice, now.AddSeconds(1)), now.AddSeconds(1));
        Assert.Equal(130m, await BillingApi.AvailableAsync(session));
        await using (var connection = new NpgsqlConnection(db.ConnectionString))
        {
            Assert.Equal(now.UtcDateTime.AddMonths(3).Date, (await connection.ExecuteScalarAsync<DateTime>(
                "SELECT min(expires_at) FROM subscription_credit_lots WHERE user_id = @userId", new { userId })).Date);
            await connection.ExecuteAsync("""
                UPDATE subscription_credit_lots SET expires_at = now() - interval '1 minute'
                WHERE ledger_entry_id = (SELECT ledger_entry_id FROM subscription_credit_lots WHERE user_id = @userId ORDER BY ledger_entry_id LIMIT 1)
                """, new { userId });
        }

        Assert.True(await _app.Services.GetRequiredService<SubscriptionCredits>().SweepAsync(CancellationToken.None) >= 1);

        Assert.Equal(80m, await BillingApi.AvailableAsync(session));
        var expiry = Assert.Single((await (await session.GetAsync("/api/v1/credits/ledger?kind=expiry")).JsonAsync()).GetProperty("data").EnumerateArray());
        Assert.Equal(-50m, expiry.GetProperty("amount").GetDecimal());
        Assert.Equal(0, await _app.Services.GetRequiredService<SubscriptionCredits>().SweepAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Portal_ReturnsStripesUrlForTheCustomer_And409WithoutOne()
    {
        var (_, session, _, _) = await SubscribeAsync();
        var response = await session.PostAsync("/api/v1/billing/portal", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("https://billing.stripe.com/p/session/", (await response.JsonAsync()).GetProperty("url").GetString());
        var request = _stripe.RequestsTo("/v1/billing_portal/sessions")[^1];
        Assert.StartsWith("cus_test_", request.Form["customer"]);
        Assert.StartsWith("portal:", request.IdempotencyKey);

        var (_, stranger) = await BillingApi.RegisterAsync(_app);
        await Api.AssertProblemAsync(await stranger.PostAsync("/api/v1/billing/portal", null), HttpStatusCode.Conflict, "no-billing-customer");
    }

    [Fact]
    public async Task Catalog_ListsPacksAndThePlansWithStripePrices()
    {
        var catalog = await (await _app.CreateClient().GetAsync("/api/v1/billing/catalog")).JsonAsync();

        Assert.Equal("stripe", catalog.GetProperty("provider").GetString());
        Assert.Equal([50m, 200m, 1000m], catalog.GetProperty("packs").EnumerateArray().Select(p => p.GetProperty("credits").GetDecimal()));
        Assert.Equal([8m, 28m, 120m], catalog.GetProperty("packs").EnumerateArray().Select(p => p.GetProperty("price").GetDecimal()));
        var plans = catalog.GetProperty("plans").EnumerateArray().ToList();
        Assert.Equal(["starter", "creator"], plans.Select(p => p.GetProperty("id").GetString()));
        Assert.Equal(80m, plans[0].GetProperty("monthlyCredits").GetDecimal());
        Assert.Equal(31m, plans[1].GetProperty("price").GetDecimal());
    }

    private const string TitleEdit = """
        {"timeline": {"tracks": [{"clips": [{"asset": {"type": "title", "text": "Hi", "style": "minimal"}, "start": 0, "length": 1}]}]},
         "output": {"format": "mp4", "size": {"width": 160, "height": 90}, "fps": 12}}
        """;
}
