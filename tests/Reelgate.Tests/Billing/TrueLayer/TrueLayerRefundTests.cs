using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Reelgate.Credits;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Billing.TrueLayer;

/// <summary>Admin refunds of settled TrueLayer payments: the signed refund request, then refund_executed claws back credits with a debt; refund_failed takes nothing.</summary>
public sealed class TrueLayerRefundTests(TestDatabase db) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private FakeTrueLayer _trueLayer = null!;
    private WebApplicationFactory<Program> _app = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _trueLayer = await FakeTrueLayer.StartAsync();
        _app = TrueLayerApp.Create(db.ConnectionString, _trueLayer);
        _admin = await Api.AdminSessionAsync(_app);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _trueLayer.DisposeAsync();
    }

    private async Task<(Guid UserId, HttpClient Session, Guid PaymentId, string TrueLayerId)> SettledPackAsync()
    {
        var (userId, session) = await BillingApi.RegisterAsync(_app);
        var (paymentId, _) = await BillingApi.PurchaseAsync(session, new { pack = "credits-50" });
        var trueLayerId = await TrueLayerApp.TrueLayerIdAsync(db.ConnectionString, paymentId);
        _trueLayer.SetStatus(trueLayerId, "settled");
        await _app.DeliverAsync(_trueLayer.Webhook(_trueLayer.PaymentEvent("payment_settled", trueLayerId)));
        Assert.Equal(50m, await BillingApi.AvailableAsync(session));
        return (userId, session, paymentId, trueLayerId);
    }

    private async Task<HttpResponseMessage> RefundAsync(Guid paymentId, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/admin/payments/{paymentId}/refund") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        return await _admin.SendAsync(request);
    }

    private JsonObject RefundEvent(string type, string refundId, string trueLayerId) => FakeTrueLayer.Event(type, new JsonObject
    {
        ["refund_id"] = refundId, ["payment_id"] = trueLayerId, ["executed_at"] = DateTimeOffset.UtcNow.ToString("O"), ["failure_reason"] = "bank_rejected",
    });

    [Fact]
    public async Task Refund_OfSpentCredits_ClawsBackWhatIsLeft_AndRecordsTheRestAsADebt_WhenTrueLayerExecutesIt()
    {
        var (userId, session, paymentId, trueLayerId) = await SettledPackAsync();
        await _app.Services.GetRequiredService<CreditAdjustments>().AdjustAsync(userId, -40m, "spent on renders", null, LedgerKinds.Adjustment, null);

        var response = await RefundAsync(paymentId, new { });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var refundId = (await response.JsonAsync()).GetProperty("refundId").GetString()!;
        var posted = Assert.Single(_trueLayer.PostsTo($"/v3/payments/{trueLayerId}/refunds"));
        Assert.True(posted.SignatureValid);
        Assert.Equal(700, posted.Body["amount_in_minor"]!.GetValue<long>());
        Assert.Equal(10m, await BillingApi.AvailableAsync(session));

        await _app.DeliverAsync(_trueLayer.Webhook(RefundEvent("refund_executed", refundId, trueLayerId)));
        await _app.DeliverAsync(_trueLayer.Webhook(RefundEvent("refund_executed", refundId, trueLayerId)));

        Assert.Equal(0m, await BillingApi.AvailableAsync(session));
        var payment = await BillingApi.PaymentAsync(session, paymentId);
        Assert.Equal("refunded", payment.GetProperty("status").GetString());
        Assert.Equal(7m, payment.GetProperty("refundedAmount").GetDecimal());
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        Assert.Equal(40m, await connection.ExecuteScalarAsync<decimal>("SELECT remaining FROM billing_debts WHERE payment_id = @paymentId", new { paymentId }));
    }

    [Fact]
    public async Task RefundFailed_TakesNothing_AndTheAmountCanBeRefundedAgain()
    {
        var (_, session, paymentId, trueLayerId) = await SettledPackAsync();
        var first = await RefundAsync(paymentId, new { amount = 3.5m });
        var refundId = (await first.JsonAsync()).GetProperty("refundId").GetString()!;
        await Api.AssertProblemAsync(await RefundAsync(paymentId, new { amount = 4m }), HttpStatusCode.BadRequest, "validation");

        _trueLayer.FailRefund(trueLayerId, refundId);
        await _app.DeliverAsync(_trueLayer.Webhook(RefundEvent("refund_failed", refundId, trueLayerId)));
        var again = await RefundAsync(paymentId, new { amount = 7m });

        Assert.Equal(50m, await BillingApi.AvailableAsync(session));
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        Assert.Equal("bank_rejected", await connection.ExecuteScalarAsync<string>("SELECT failure_reason FROM truelayer_refunds WHERE id = @refundId", new { refundId }));
    }

    [Fact]
    public async Task Refund_OfAPendingTrueLayerPayment_IsRefusedWith409()
    {
        var (_, session) = await BillingApi.RegisterAsync(_app);
        var (paymentId, _) = await BillingApi.PurchaseAsync(session, new { pack = "credits-50" });

        await Api.AssertProblemAsync(await RefundAsync(paymentId, new { }), HttpStatusCode.Conflict, "payment-not-refundable");
        Assert.DoesNotContain(_trueLayer.Requests, r => r.Path.EndsWith("/refunds", StringComparison.Ordinal));
    }
}
