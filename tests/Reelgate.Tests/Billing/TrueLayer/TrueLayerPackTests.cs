using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Billing.TrueLayer;

/// <summary>Credit packs paid by bank against the fake TrueLayer: the signed payment, the hosted page, and credits from verified webhooks only.</summary>
public sealed class TrueLayerPackTests(TestDatabase db) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private FakeTrueLayer _trueLayer = null!;
    private WebApplicationFactory<Program> _app = null!;

    public async Task InitializeAsync()
    {
        _trueLayer = await FakeTrueLayer.StartAsync();
        _app = TrueLayerApp.Create(db.ConnectionString, _trueLayer);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _trueLayer.DisposeAsync();
    }

    private async Task<(HttpClient Session, Guid PaymentId, string TrueLayerId, string CheckoutUrl)> BuyPackAsync()
    {
        var (_, session) = await BillingApi.RegisterAsync(_app);
        var (paymentId, url) = await BillingApi.PurchaseAsync(session, new { pack = "credits-50" });
        return (session, paymentId, await TrueLayerApp.TrueLayerIdAsync(db.ConnectionString, paymentId), url);
    }

    [Fact]
    public async Task Purchase_CreatesASignedPaymentIntoOurMerchantAccount_AndSendsTheBuyerToTheHostedPage()
    {
        var (session, paymentId, trueLayerId, url) = await BuyPackAsync();
        await BillingApi.PurchaseAsync(session, new { pack = "credits-200" });

        var posted = _trueLayer.PostsTo("/v3/payments");
        Assert.Equal(2, posted.Count);
        Assert.All(posted, p => Assert.True(p.SignatureValid));
        Assert.Equal(paymentId.ToString(), posted[0].IdempotencyKey);
        Assert.Equal(700, posted[0].Body["amount_in_minor"]!.GetValue<long>());
        Assert.Equal("GBP", posted[0].Body["currency"]!.GetValue<string>());
        Assert.Equal("bank_transfer", posted[0].Body["payment_method"]!["type"]!.GetValue<string>());
        Assert.Equal(FakeTrueLayer.MerchantAccountId, posted[0].Body["payment_method"]!["beneficiary"]!["merchant_account_id"]!.GetValue<string>());
        Assert.Equal(1, _trueLayer.TokensIssued);
        var returnUri = Uri.EscapeDataString($"http://localhost/billing/payments/{paymentId}");
        Assert.Equal($"https://payment.truelayer-sandbox.com/payments#payment_id={trueLayerId}&resource_token=rt-{trueLayerId}&return_uri={returnUri}", url);
        var payment = await BillingApi.PaymentAsync(session, paymentId);
        Assert.Equal("truelayer", payment.GetProperty("provider").GetString());
        Assert.Equal("pending", payment.GetProperty("status").GetString());
        Assert.Equal(7m, payment.GetProperty("amount").GetDecimal());
        Assert.Equal("gbp", payment.GetProperty("currency").GetString());
        Assert.Equal(0m, await BillingApi.AvailableAsync(session));
    }

    [Fact]
    public async Task SettledWebhook_GrantsOnce_DeliveredThreeTimes_OutOfOrder_AndRepeatedUnderANewEventId()
    {
        var (session, paymentId, trueLayerId, _) = await BuyPackAsync();
        _trueLayer.SetStatus(trueLayerId, "settled");
        var settled = _trueLayer.PaymentEvent("payment_settled", trueLayerId);
        var executed = _trueLayer.PaymentEvent("payment_executed", trueLayerId);

        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await _app.DeliverAsync(_trueLayer.Webhook(settled))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _app.DeliverAsync(_trueLayer.Webhook(executed))).StatusCode);
        var again = (JsonObject)settled.DeepClone();
        again["event_id"] = Guid.NewGuid().ToString();
        await _app.DeliverAsync(_trueLayer.Webhook(again));
        await _app.DeliverAsync(_trueLayer.Webhook(_trueLayer.PaymentEvent("payment_failed", trueLayerId)));

        Assert.Equal(50m, await BillingApi.AvailableAsync(session));
        var payment = await TrueLayerApp.PaymentAsync(session, paymentId);
        Assert.Equal("paid", payment.GetProperty("status").GetString());
    }

    [Fact]
    public async Task FailedWebhook_GrantsNothing_AndRecordsTheFailureReason()
    {
        var (session, paymentId, trueLayerId, _) = await BuyPackAsync();
        _trueLayer.SetStatus(trueLayerId, "failed", "insufficient_funds");

        var response = await _app.DeliverAsync(_trueLayer.Webhook(_trueLayer.PaymentEvent("payment_failed", trueLayerId, "insufficient_funds")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var payment = await TrueLayerApp.PaymentAsync(session, paymentId);
        Assert.Equal("failed", payment.GetProperty("status").GetString());
        Assert.Equal("insufficient_funds", payment.GetProperty("failureReason").GetString());
        Assert.Equal(0m, await BillingApi.AvailableAsync(session));
    }

    [Fact]
    public async Task StatusRead_OfASettledPayment_GrantsWithoutAWebhook_AndOnlyOnce()
    {
        var (session, paymentId, trueLayerId, _) = await BuyPackAsync();
        Assert.Equal("pending", (await TrueLayerApp.PaymentAsync(session, paymentId)).GetProperty("status").GetString());
        _trueLayer.SetStatus(trueLayerId, "settled");

        var first = await TrueLayerApp.PaymentAsync(session, paymentId);
        await TrueLayerApp.PaymentAsync(session, paymentId);
        await _app.DeliverAsync(_trueLayer.Webhook(_trueLayer.PaymentEvent("payment_settled", trueLayerId)));

        Assert.Equal("paid", first.GetProperty("status").GetString());
        Assert.Equal(50m, await BillingApi.AvailableAsync(session));
    }

    [Fact]
    public async Task StatusRead_IsForTheOwnerOnly()
    {
        var (_, paymentId, _, _) = await BuyPackAsync();
        var (_, stranger) = await BillingApi.RegisterAsync(_app);

        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/v1/payments/{paymentId}")).StatusCode);
    }

    [Fact]
    public async Task Webhook_WithATamperedBody_Answers401_AndChangesNothing()
    {
        var (session, _, trueLayerId, _) = await BuyPackAsync();
        var request = _trueLayer.Webhook(_trueLayer.PaymentEvent("payment_settled", trueLayerId));
        var body = await request.Content!.ReadAsStringAsync();
        request.Content = new StringContent(body.Replace("payment_settled", "payment_settled "), System.Text.Encoding.UTF8, "application/json");

        var response = await _app.DeliverAsync(request);

        await Api.AssertProblemAsync(response, HttpStatusCode.Unauthorized, "truelayer-signature-invalid");
        Assert.Equal(0m, await BillingApi.AvailableAsync(session));
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM truelayer_events WHERE payload->>'payment_id' = @trueLayerId", new { trueLayerId }));
    }

    [Fact]
    public async Task Webhook_SignedUnderAJkuNotOnTheAllowlist_IsRefusedWithoutFetchingIt()
    {
        var (session, _, trueLayerId, _) = await BuyPackAsync();
        var evil = new Uri(_trueLayer.BaseAddress, "/evil/jwks").ToString();

        var response = await _app.DeliverAsync(_trueLayer.Webhook(_trueLayer.PaymentEvent("payment_settled", trueLayerId), jku: evil));
        var lookalike = await _app.DeliverAsync(_trueLayer.Webhook(_trueLayer.PaymentEvent("payment_settled", trueLayerId), jku: _trueLayer.JwksUrl + "?"));

        await Api.AssertProblemAsync(response, HttpStatusCode.Unauthorized, "truelayer-signature-invalid");
        await Api.AssertProblemAsync(lookalike, HttpStatusCode.Unauthorized, "truelayer-signature-invalid");
        Assert.Equal(0m, await BillingApi.AvailableAsync(session));
    }

    [Fact]
    public async Task Webhook_SignedByAnotherKeyUnderTheSameKid_Answers401()
    {
        var (session, _, trueLayerId, _) = await BuyPackAsync();
        using var stranger = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP521);

        var response = await _app.DeliverAsync(_trueLayer.Webhook(_trueLayer.PaymentEvent("payment_settled", trueLayerId), key: stranger));

        await Api.AssertProblemAsync(response, HttpStatusCode.Unauthorized, "truelayer-signature-invalid");
        Assert.Equal(0m, await BillingApi.AvailableAsync(session));
    }

    [Fact]
    public async Task Webhook_WithAnOldTimestamp_IsRefused_AndGrantsNothing()
    {
        var (session, _, trueLayerId, _) = await BuyPackAsync();

        var response = await _app.DeliverAsync(_trueLayer.Webhook(_trueLayer.PaymentEvent("payment_settled", trueLayerId), timestamp: DateTimeOffset.UtcNow.AddMinutes(-10)));

        await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest, "truelayer-webhook-stale");
        Assert.Equal(0m, await BillingApi.AvailableAsync(session));
    }

    [Fact]
    public async Task Webhook_AfterTrueLayerRotatesItsKey_RefetchesTheJwksForTheUnknownKid()
    {
        await using var app = TrueLayerApp.Create(db.ConnectionString, _trueLayer, new Dictionary<string, string?> { ["TrueLayer:JwksMinRefetch"] = "00:00:00" });
        var (_, session) = await BillingApi.RegisterAsync(app);
        var (paymentId, _) = await BillingApi.PurchaseAsync(session, new { pack = "credits-50" });
        var trueLayerId = await TrueLayerApp.TrueLayerIdAsync(db.ConnectionString, paymentId);
        Assert.Equal(HttpStatusCode.OK, (await app.DeliverAsync(_trueLayer.Webhook(_trueLayer.PaymentEvent("payment_executed", trueLayerId)))).StatusCode);
        _trueLayer.RotateWebhookKey();

        var response = await app.DeliverAsync(_trueLayer.Webhook(_trueLayer.PaymentEvent("payment_settled", trueLayerId)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(50m, await BillingApi.AvailableAsync(session));
    }

    [Fact]
    public async Task Webhook_OfAnUnknownType_IsAcknowledgedAndIgnored()
    {
        var response = await _app.DeliverAsync(_trueLayer.Webhook(FakeTrueLayer.Event("payout_executed", new JsonObject { ["payout_id"] = "p-1" })));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ignored", (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task Purchase_SignedWithAKeyTrueLayerDoesNotKnow_IsRefusedWith401_AndNothingIsCharged()
    {
        using var wrongKey = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP521);
        await using var app = TrueLayerApp.Create(db.ConnectionString, _trueLayer,
            new Dictionary<string, string?> { ["TrueLayer:SigningPrivateKey"] = wrongKey.ExportECPrivateKeyPem() });
        var (_, session) = await BillingApi.RegisterAsync(app);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/credits/purchase") { Content = Api.Json("""{"pack": "credits-50"}""") };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());

        var response = await session.SendAsync(request);

        await Api.AssertProblemAsync(response, HttpStatusCode.BadGateway, "payment-provider-error");
        Assert.False(Assert.Single(_trueLayer.PostsTo("/v3/payments")).SignatureValid);
        var page = await (await session.GetAsync("/api/v1/payments")).JsonAsync();
        Assert.Equal("failed", page.GetProperty("data")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task ReturnPage_FollowsThePayment_RefreshingWhilePending_AndShowsTheSettledResult()
    {
        var (session, paymentId, trueLayerId, _) = await BuyPackAsync();

        var pending = await session.GetStringAsync($"/billing/payments/{paymentId}?payment_id={trueLayerId}&status=settled");
        Assert.Contains("data-status=\"pending\"", pending);
        Assert.Contains("http-equiv=\"refresh\"", pending);
        Assert.Equal(0m, await BillingApi.AvailableAsync(session));

        _trueLayer.SetStatus(trueLayerId, "settled");
        var settled = await session.GetStringAsync($"/billing/payments/{paymentId}");

        Assert.Contains("data-status=\"paid\"", settled);
        Assert.DoesNotContain("http-equiv=\"refresh\"", settled);
        Assert.Equal(50m, await BillingApi.AvailableAsync(session));
        var (_, stranger) = await BillingApi.RegisterAsync(_app);
        Assert.DoesNotContain("data-status", await stranger.GetStringAsync($"/billing/payments/{paymentId}"));
    }
}
