using System.Net;
using System.Net.Http.Json;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Billing;

/// <summary>Admin refunds through Stripe.net against the fake Stripe: the request Stripe receives, its refusals, retries, and the clawback that follows.</summary>
public sealed class StripeRefundTests(TestDatabase db) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private FakeStripe _stripe = null!;
    private WebApplicationFactory<Program> _app = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _stripe = await FakeStripe.StartAsync();
        _app = BillingApp.Create(db.ConnectionString, new Dictionary<string, string?>(_stripe.Settings) { ["roles"] = "api" });
        _admin = await Api.AdminSessionAsync(_app);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _stripe.DisposeAsync();
    }

    private async Task<(HttpClient Session, Guid PaymentId, string PaymentIntent)> PaidPackAsync()
    {
        var (_, session) = await BillingApi.RegisterAsync(_app);
        var (paymentId, url) = await BillingApi.PurchaseAsync(session, new { pack = "credits-50" });
        var sessionId = url.Split('/')[^1];
        await FakeStripe.SendAsync(_app.CreateClient(), _stripe.Event("checkout.session.completed", _stripe.CompletedSession(sessionId)));
        Assert.Equal(50m, await BillingApi.AvailableAsync(session));
        return (session, paymentId, _stripe.PaymentIntentOf(sessionId));
    }

    private Task<HttpResponseMessage> RefundAsync(HttpClient client, Guid paymentId, object body, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/admin/payments/{paymentId}/refund") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", idempotencyKey ?? Guid.NewGuid().ToString());
        return client.SendAsync(request);
    }

    [Fact]
    public async Task PartialRefund_AsksStripeForTheAmount_AndTheChargeRefundedEventClawsBackItsShare()
    {
        var (session, paymentId, paymentIntent) = await PaidPackAsync();

        var response = await RefundAsync(_admin, paymentId, new { amount = 2m });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.StartsWith("re_test_", body.GetProperty("refundId").GetString());
        Assert.Equal(2m, body.GetProperty("amount").GetDecimal());
        var request = Assert.Single(_stripe.RequestsTo("/v1/refunds"));
        Assert.Equal(paymentIntent, request.Form["payment_intent"]);
        Assert.Equal("200", request.Form["amount"]);
        Assert.Equal(paymentId.ToString(), request.Form["metadata[payment_id]"]);
        Assert.Equal($"refund:{paymentId}:0:200", request.IdempotencyKey);
        Assert.Equal(FakeStripe.ApiVersion, request.StripeVersion);
        Assert.Equal(50m, await BillingApi.AvailableAsync(session));

        await FakeStripe.SendAsync(_app.CreateClient(), _stripe.Event("charge.refunded", _stripe.ChargeWithRefunds(paymentIntent)));
        Assert.Equal(37.5m, await BillingApi.AvailableAsync(session));
        Assert.Equal(2m, (await BillingApi.PaymentAsync(session, paymentId)).GetProperty("refundedAmount").GetDecimal());
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM audit_log WHERE action = 'payment.refund' AND target_id = @id", new { id = paymentId.ToString() }));
    }

    [Fact]
    public async Task Refund_WhenStripeFailsOnce_IsRetriedWithTheSameIdempotencyKey_AndMadeOnce()
    {
        var (_, paymentId, _) = await PaidPackAsync();
        _stripe.FailNext = 1;

        var response = await RefundAsync(_admin, paymentId, new { });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(8m, (await response.JsonAsync()).GetProperty("amount").GetDecimal());
        var attempts = _stripe.RequestsTo("/v1/refunds");
        Assert.Equal(2, attempts.Count);
        Assert.Equal(attempts[0].IdempotencyKey, attempts[1].IdempotencyKey);
    }

    [Fact]
    public async Task Refund_MoreThanWasPaid_Returns400NamingAmount_AndAsksStripeNothing()
    {
        var (_, paymentId, _) = await PaidPackAsync();

        var problem = await Api.AssertProblemAsync(await RefundAsync(_admin, paymentId, new { amount = 8.01m }), HttpStatusCode.BadRequest, "validation");

        Assert.True(problem.GetProperty("errors").TryGetProperty("amount", out _));
        Assert.Empty(_stripe.RequestsTo("/v1/refunds"));
    }

    [Fact]
    public async Task Refund_StripeRefuses_Returns409WithStripesReason()
    {
        var (session, paymentId, _) = await PaidPackAsync();
        Assert.Equal(HttpStatusCode.Accepted, (await RefundAsync(_admin, paymentId, new { })).StatusCode);

        // Stripe has refunded it all, but its event has not arrived: our record still says nothing was refunded.
        var problem = await Api.AssertProblemAsync(await RefundAsync(_admin, paymentId, new { amount = 1m }), HttpStatusCode.Conflict, "payment-not-refundable");

        Assert.Contains("already been refunded", problem.GetProperty("detail").GetString());
        Assert.Equal(50m, await BillingApi.AvailableAsync(session));
    }

    [Fact]
    public async Task Refund_ByANonAdmin_Returns403_AndOfAPendingPayment_Returns409()
    {
        var (_, session) = await BillingApi.RegisterAsync(_app);
        var (pending, _) = await BillingApi.PurchaseAsync(session, new { pack = "credits-50" });

        Assert.Equal(HttpStatusCode.Forbidden, (await RefundAsync(session, pending, new { })).StatusCode);
        await Api.AssertProblemAsync(await RefundAsync(_admin, pending, new { }), HttpStatusCode.Conflict, "payment-not-refundable");
        await Api.AssertProblemAsync(await RefundAsync(_admin, Guid.NewGuid(), new { }), HttpStatusCode.NotFound, "not-found");
        Assert.Empty(_stripe.RequestsTo("/v1/refunds"));
    }
}
