using System.Net;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Billing;

/// <summary>Pack purchases through the fake Stripe: checkout requests, signed events, duplicates, refusals and refunds.</summary>
public sealed class StripeWebhookTests(TestDatabase db) : IClassFixture<TestDatabase>, IAsyncLifetime
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

    private async Task<(Guid UserId, HttpClient Session, Guid PaymentId, string SessionId)> BuyPackAsync(string pack = "credits-50")
    {
        var (userId, session) = await BillingApi.RegisterAsync(_app);
        var (paymentId, url) = await BillingApi.PurchaseAsync(session, new { pack });
        return (userId, session, paymentId, url.Split('/')[^1]);
    }

    /// <summary>No credits, the payment still pending, and no stored event about the session.</summary>
    private async Task AssertNothingAppliedAsync(HttpClient session, Guid paymentId, string sessionId)
    {
        Assert.Equal(0m, await BillingApi.AvailableAsync(session));
        Assert.Equal("pending", (await BillingApi.PaymentAsync(session, paymentId)).GetProperty("status").GetString());
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM stripe_events WHERE payload -> 'data' -> 'object' ->> 'id' = @sessionId", new { sessionId }));
    }

    [Fact]
    public async Task PackPurchase_OpensPaymentModeCheckoutWithOurIdsVersionAndIdempotencyKey()
    {
        var (userId, session, paymentId, sessionId) = await BuyPackAsync("credits-200");

        var request = Assert.Single(_stripe.RequestsTo("/v1/checkout/sessions"), r => r.Form["metadata[payment_id]"] == paymentId.ToString());
        Assert.Equal("payment", request.Form["mode"]);
        Assert.Equal("usd", request.Form["line_items[0][price_data][currency]"]);
        Assert.Equal("2800", request.Form["line_items[0][price_data][unit_amount]"]);
        Assert.Equal("1", request.Form["line_items[0][quantity]"]);
        Assert.Equal(userId.ToString(), request.Form["client_reference_id"]);
        Assert.Equal(userId.ToString(), request.Form["metadata[user_id]"]);
        Assert.Equal("credits-200", request.Form["metadata[pack]"]);
        Assert.Equal(paymentId.ToString(), request.Form["payment_intent_data[metadata][payment_id]"]);
        Assert.Equal($"checkout:{paymentId}", request.IdempotencyKey);
        Assert.Equal(FakeStripe.ApiVersion, request.StripeVersion);
        Assert.Equal($"Bearer {FakeStripe.SecretKey}", request.Authorization);
        Assert.StartsWith("cs_test_", sessionId);

        var payment = await BillingApi.PaymentAsync(session, paymentId);
        Assert.Equal("pending", payment.GetProperty("status").GetString());
        Assert.Equal(28m, payment.GetProperty("amount").GetDecimal());
        Assert.Equal(0m, await BillingApi.AvailableAsync(session));
    }

    [Fact]
    public async Task PackPurchase_CompletedEventDeliveredThreeTimes_GrantsCreditsOnce()
    {
        var (_, session, paymentId, sessionId) = await BuyPackAsync();
        var completed = _stripe.Event("checkout.session.completed", _stripe.CompletedSession(sessionId));
        var webhook = _app.CreateClient();

        var outcomes = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var response = await FakeStripe.SendAsync(webhook, completed);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            outcomes.Add((await response.JsonAsync()).GetProperty("outcome").GetString()!);
        }

        Assert.Equal(["processed", "duplicate", "duplicate"], outcomes);
        Assert.Equal(50m, await BillingApi.AvailableAsync(session));
        var ledger = await (await session.GetAsync("/api/v1/credits/ledger")).JsonAsync();
        var entry = Assert.Single(ledger.GetProperty("data").EnumerateArray());
        Assert.Equal("purchase", entry.GetProperty("kind").GetString());
        Assert.Equal(paymentId, entry.GetProperty("paymentId").GetGuid());
        Assert.Equal("paid", (await BillingApi.PaymentAsync(session, paymentId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Webhook_BadSignatureOldTimestampOrTamperedBody_Returns400AndChangesNothing()
    {
        var (_, session, paymentId, sessionId) = await BuyPackAsync();
        var completed = _stripe.Event("checkout.session.completed", _stripe.CompletedSession(sessionId));
        var webhook = _app.CreateClient();

        var attempts = new[]
        {
            await FakeStripe.SendAsync(webhook, completed, secret: "whsec_someone_else"),
            await FakeStripe.SendAsync(webhook, completed, signedAt: DateTimeOffset.UtcNow.AddSeconds(-301)),
            await FakeStripe.SendAsync(webhook, completed, body: completed.Replace("\"paid\"", "\"unpaid\"", StringComparison.Ordinal)),
        };

        foreach (var response in attempts) await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest, "stripe-signature-invalid");
        await AssertNothingAppliedAsync(session, paymentId, sessionId);
    }

    [Fact]
    public async Task Webhook_SignedInTheFuture_MalformedOrWithoutHeader_Returns400AndChangesNothing()
    {
        var (_, session, paymentId, sessionId) = await BuyPackAsync();
        var completed = _stripe.Event("checkout.session.completed", _stripe.CompletedSession(sessionId));
        var webhook = _app.CreateClient();

        var future = await FakeStripe.SendAsync(webhook, completed, signedAt: DateTimeOffset.UtcNow.AddSeconds(301));
        var responses = new List<HttpResponseMessage> { future };
        foreach (var header in new[] { null, "v1=abc", "t=soon,v1=abc", $"t={DateTimeOffset.UtcNow.ToUnixTimeSeconds()}" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/stripe") { Content = new StringContent(completed) };
            if (header is not null) request.Headers.Add("Stripe-Signature", header);
            responses.Add(await webhook.SendAsync(request));
        }

        foreach (var response in responses) await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest, "stripe-signature-invalid");
        await AssertNothingAppliedAsync(session, paymentId, sessionId);
    }

    [Fact]
    public async Task Webhook_EventOfAnotherApiRelease_Returns400AndIsNeitherStoredNorApplied()
    {
        var (_, session, paymentId, sessionId) = await BuyPackAsync();
        var older = _stripe.Event("checkout.session.completed", _stripe.CompletedSession(sessionId), apiVersion: "2026-07-29.dahlia");

        var response = await FakeStripe.SendAsync(_app.CreateClient(), older);

        var problem = await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest, "stripe-api-version-mismatch");
        Assert.Contains(FakeStripe.ApiVersion, problem.GetProperty("detail").GetString());
        await AssertNothingAppliedAsync(session, paymentId, sessionId);
    }

    [Fact]
    public async Task Webhook_EventOfALaterVersionInTheSameRelease_IsApplied()
    {
        var (_, session, _, sessionId) = await BuyPackAsync();
        var later = _stripe.Event("checkout.session.completed", _stripe.CompletedSession(sessionId), apiVersion: "2026-11-25.endive");

        var response = await FakeStripe.SendAsync(_app.CreateClient(), later);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(50m, await BillingApi.AvailableAsync(session));
    }

    [Fact]
    public async Task UnknownEventType_Returns200AndIsIgnored()
    {
        var (_, session, _, sessionId) = await BuyPackAsync();
        var response = await FakeStripe.SendAsync(_app.CreateClient(), _stripe.Event("customer.tax_id.created", _stripe.CompletedSession(sessionId)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ignored", (await response.JsonAsync()).GetProperty("outcome").GetString());
        Assert.Equal(0m, await BillingApi.AvailableAsync(session));
    }

    [Fact]
    public async Task AsyncPaymentFailure_GrantsNothingAndMarksThePaymentFailed()
    {
        var (_, session, paymentId, sessionId) = await BuyPackAsync();
        var webhook = _app.CreateClient();

        await FakeStripe.SendAsync(webhook, _stripe.Event("checkout.session.completed", _stripe.CompletedSession(sessionId, "unpaid")));
        Assert.Equal("pending", (await BillingApi.PaymentAsync(session, paymentId)).GetProperty("status").GetString());
        await FakeStripe.SendAsync(webhook, _stripe.Event("checkout.session.async_payment_failed", _stripe.CompletedSession(sessionId, "unpaid")));

        Assert.Equal(0m, await BillingApi.AvailableAsync(session));
        Assert.Equal("failed", (await BillingApi.PaymentAsync(session, paymentId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task AsyncPaymentSuccess_AfterAnUnpaidCompletion_GrantsOnce()
    {
        var (_, session, _, sessionId) = await BuyPackAsync();
        var webhook = _app.CreateClient();

        await FakeStripe.SendAsync(webhook, _stripe.Event("checkout.session.completed", _stripe.CompletedSession(sessionId, "unpaid")));
        Assert.Equal(0m, await BillingApi.AvailableAsync(session));
        await FakeStripe.SendAsync(webhook, _stripe.Event("checkout.session.async_payment_succeeded", _stripe.CompletedSession(sessionId)));

        Assert.Equal(50m, await BillingApi.AvailableAsync(session));
    }

    [Fact]
    public async Task Refund_ClawsBackTheCreditsAndMarksThePaymentRefunded()
    {
        var (_, session, paymentId, sessionId) = await BuyPackAsync();
        var webhook = _app.CreateClient();
        await FakeStripe.SendAsync(webhook, _stripe.Event("checkout.session.completed", _stripe.CompletedSession(sessionId)));

        var partly = await FakeStripe.SendAsync(webhook, _stripe.Event("charge.refunded", _stripe.RefundedCharge(_stripe.PaymentIntentOf(sessionId), 800, 200)));
        Assert.Equal(HttpStatusCode.OK, partly.StatusCode);
        Assert.Equal(37.5m, await BillingApi.AvailableAsync(session));
        await FakeStripe.SendAsync(webhook, _stripe.Event("charge.refunded", _stripe.RefundedCharge(_stripe.PaymentIntentOf(sessionId), 800, 800)));

        Assert.Equal(0m, await BillingApi.AvailableAsync(session));
        var payment = await BillingApi.PaymentAsync(session, paymentId);
        Assert.Equal("refunded", payment.GetProperty("status").GetString());
        Assert.Equal(8m, payment.GetProperty("refundedAmount").GetDecimal());
    }

    [Fact]
    public async Task RefundBeforeCompletion_EndsLikeCompletionBeforeRefund()
    {
        var inOrder = await BuyPackAsync();
        var reversed = await BuyPackAsync();
        var webhook = _app.CreateClient();

        await FakeStripe.SendAsync(webhook, _stripe.Event("checkout.session.completed", _stripe.CompletedSession(inOrder.SessionId)));
        await FakeStripe.SendAsync(webhook, _stripe.Event("charge.refunded", _stripe.RefundedCharge(_stripe.PaymentIntentOf(inOrder.SessionId), 800, 400)));
        await FakeStripe.SendAsync(webhook, _stripe.Event("charge.refunded", _stripe.RefundedCharge(_stripe.PaymentIntentOf(reversed.SessionId), 800, 400)));
        await FakeStripe.SendAsync(webhook, _stripe.Event("checkout.session.completed", _stripe.CompletedSession(reversed.SessionId)));

        Assert.Equal(25m, await BillingApi.AvailableAsync(inOrder.Session));
        Assert.Equal(25m, await BillingApi.AvailableAsync(reversed.Session));
        foreach (var (session, paymentId) in new[] { (inOrder.Session, inOrder.PaymentId), (reversed.Session, reversed.PaymentId) })
        {
            var payment = await BillingApi.PaymentAsync(session, paymentId);
            Assert.Equal("paid", payment.GetProperty("status").GetString());
            Assert.Equal(4m, payment.GetProperty("refundedAmount").GetDecimal());
        }
    }

    [Fact]
    public async Task Purchase_WithBothNeitherOrUnknownProduct_Returns400NamingTheField()
    {
        var (_, session) = await BillingApi.RegisterAsync(_app);
        var both = await Api.AssertProblemAsync(await session.PostAsync("/api/v1/credits/purchase", Api.Json("""{"pack":"credits-50","plan":"starter"}""")), HttpStatusCode.BadRequest, "validation");
        Assert.True(both.GetProperty("errors").TryGetProperty("pack", out _));
        await Api.AssertProblemAsync(await session.PostAsync("/api/v1/credits/purchase", Api.Json("{}")), HttpStatusCode.BadRequest, "validation");
        var unknown = await Api.AssertProblemAsync(await session.PostAsync("/api/v1/credits/purchase", Api.Json("""{"pack":"credits-7"}""")), HttpStatusCode.BadRequest, "validation");
        Assert.Contains("credits-50", unknown.GetProperty("errors").GetProperty("pack")[0].GetString());
        var unsold = await Api.AssertProblemAsync(await session.PostAsync("/api/v1/credits/purchase", Api.Json("""{"plan":"studio"}""")), HttpStatusCode.BadRequest, "validation");
        Assert.True(unsold.GetProperty("errors").TryGetProperty("plan", out _));
        Assert.Equal(0, (await (await session.GetAsync("/api/v1/payments")).JsonAsync()).GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task Purchase_WhenStripeRefuses_Returns502AndRecordsTheFailedPayment()
    {
        var (_, session) = await BillingApi.RegisterAsync(_app);
        _stripe.RejectCheckoutWith = 400;
        try
        {
            var response = await session.PostAsync("/api/v1/credits/purchase", Api.Json("""{"pack":"credits-50"}"""));
            await Api.AssertProblemAsync(response, HttpStatusCode.BadGateway, "payment-provider-error");
        }
        finally
        {
            _stripe.RejectCheckoutWith = null;
        }
        var payment = Assert.Single((await (await session.GetAsync("/api/v1/payments")).JsonAsync()).GetProperty("data").EnumerateArray());
        Assert.Equal("failed", payment.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Purchase_RepeatedWithTheSameIdempotencyKey_OpensOneCheckout()
    {
        var (_, session) = await BillingApi.RegisterAsync(_app);
        var key = Guid.NewGuid().ToString();
        var first = await BillingApi.PurchaseAsync(session, new { pack = "credits-50" }, key);
        var second = await BillingApi.PurchaseAsync(session, new { pack = "credits-50" }, key);

        Assert.Equal(first, second);
        Assert.Single((await (await session.GetAsync("/api/v1/payments")).JsonAsync()).GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task Payments_ListOnlyTheCallersNewestFirstWithCursor()
    {
        var (_, session) = await BillingApi.RegisterAsync(_app);
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++) ids.Add((await BillingApi.PurchaseAsync(session, new { pack = "credits-50" })).PaymentId);
        await BuyPackAsync();

        var first = await (await session.GetAsync("/api/v1/payments?limit=2")).JsonAsync();
        var second = await (await session.GetAsync($"/api/v1/payments?limit=2&cursor={first.GetProperty("nextCursor").GetString()}")).JsonAsync();

        var listed = first.GetProperty("data").EnumerateArray().Concat(second.GetProperty("data").EnumerateArray()).Select(p => p.GetProperty("id").GetGuid());
        Assert.Equal(Enumerable.Reverse(ids), listed);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);
    }

}
