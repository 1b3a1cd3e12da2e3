using System.Net;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Reelgate.Billing.TrueLayer;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Billing.TrueLayer;

/// <summary>Monthly plans paid by bank on a commercial VRP mandate: authorisation, the scheduler's monthly payments, retries, revocation and cancelling.</summary>
public sealed class TrueLayerPlanTests(TestDatabase db) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private FakeTrueLayer _trueLayer = null!;
    private WebApplicationFactory<Program> _app = null!;

    public async Task InitializeAsync()
    {
        _trueLayer = await FakeTrueLayer.StartAsync();
        _app = TrueLayerApp.Create(db.ConnectionString, _trueLayer);
        // Mandates of earlier tests in this class's database belong to their own fake, gone now.
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        await connection.ExecuteAsync("UPDATE truelayer_mandates SET due_at = NULL");
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _trueLayer.DisposeAsync();
    }

    private async Task<(Guid UserId, HttpClient Session, Guid PaymentId, string MandateId, string Url)> SubscribeAsync(string plan = "starter")
    {
        var (userId, session) = await BillingApi.RegisterAsync(_app);
        var (paymentId, url) = await BillingApi.PurchaseAsync(session, new { plan });
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        var mandateId = await connection.ExecuteScalarAsync<string>("SELECT mandate_id FROM payments WHERE id = @paymentId", new { paymentId });
        return (userId, session, paymentId, mandateId!, url);
    }

    private async Task AuthorizeAsync(string mandateId)
    {
        _trueLayer.Authorize(mandateId);
        var authorized = FakeTrueLayer.Event("mandate_authorized", new JsonObject { ["mandate_id"] = mandateId, ["authorized_at"] = DateTimeOffset.UtcNow.ToString("O") });
        Assert.Equal(HttpStatusCode.OK, (await _app.DeliverAsync(_trueLayer.Webhook(authorized))).StatusCode);
    }

    private Task<int> RunSchedulerAsync(WebApplicationFactory<Program>? app = null) =>
        (app ?? _app).Services.GetRequiredService<MandateScheduler>().RunDueAsync(CancellationToken.None);

    /// <summary>Stands in for the calendar: whatever the mandate waits for (next month, a retry, the end of a paid month) is due now.</summary>
    private async Task ComeDueAsync(string mandateId)
    {
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        Assert.Equal(1, await connection.ExecuteAsync("UPDATE truelayer_mandates SET due_at = now() - interval '1 second' WHERE id = @mandateId AND due_at IS NOT NULL", new { mandateId }));
    }

    private async Task<string> SettleLatestAsync(string mandateId, string type = "payment_settled", string? reason = null)
    {
        var latest = _trueLayer.MandatePayments(mandateId)[^1]["id"]!.GetValue<string>();
        _trueLayer.SetStatus(latest, type == "payment_settled" ? "settled" : "failed", reason);
        Assert.Equal(HttpStatusCode.OK, (await _app.DeliverAsync(_trueLayer.Webhook(_trueLayer.PaymentEvent(type, latest, reason)))).StatusCode);
        return latest;
    }

    private async Task<dynamic> MandateAsync(string mandateId)
    {
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        return await connection.QuerySingleAsync("SELECT status, period, attempt, due_at, failure_reason FROM truelayer_mandates WHERE id = @mandateId", new { mandateId });
    }

    [Fact]
    public async Task Subscribe_CreatesACommercialMandateLimitedToThePlanPrice_AndSendsTheBuyerToTheHostedMandatePage()
    {
        var (_, session, paymentId, mandateId, url) = await SubscribeAsync("creator");

        var posted = Assert.Single(_trueLayer.PostsTo("/v3/mandates"));
        Assert.True(posted.SignatureValid);
        Assert.Equal("commercial", posted.Body["mandate"]!["type"]!.GetValue<string>());
        Assert.Equal(3100, posted.Body["constraints"]!["maximum_individual_amount"]!.GetValue<long>());
        Assert.Equal(3100, posted.Body["constraints"]!["periodic_limits"]!["month"]!["maximum_amount"]!.GetValue<long>());
        Assert.Equal("consent", posted.Body["constraints"]!["periodic_limits"]!["month"]!["period_alignment"]!.GetValue<string>());
        Assert.StartsWith($"https://payment.truelayer-sandbox.com/mandates#mandate_id={mandateId}&resource_token=rt-{mandateId}&return_uri=", url);
        Assert.Empty(_trueLayer.PostsTo("/v3/payments"));
        Assert.Null(await BillingApi.PlanAsync(session));
        Assert.Equal(0, await RunSchedulerAsync());
        Assert.Equal("pending", (await BillingApi.PaymentAsync(session, paymentId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Mandate_ThreeMonthlyPayments_WithOneFailureRetried_GrantEachMonthOnce()
    {
        var (userId, session, paymentId, mandateId, _) = await SubscribeAsync();
        await using (var connection = new NpgsqlConnection(db.ConnectionString))
        {
            await connection.ExecuteAsync("INSERT INTO webhook_endpoints (user_id, url, secret) VALUES (@userId, 'https://hooks.example.com/reelgate', 'whsec_test')", new { userId });
        }
        await AuthorizeAsync(mandateId);

        Assert.Equal(1, await RunSchedulerAsync());
        await SettleLatestAsync(mandateId);
        Assert.Equal(80m, await BillingApi.AvailableAsync(session));
        Assert.Equal("starter", await BillingApi.PlanAsync(session));
        Assert.Equal("paid", (await BillingApi.PaymentAsync(session, paymentId)).GetProperty("status").GetString());

        await ComeDueAsync(mandateId);
        await RunSchedulerAsync();
        await SettleLatestAsync(mandateId, "payment_failed", "insufficient_funds");
        Assert.Equal(80m, await BillingApi.AvailableAsync(session));
        var retrying = await MandateAsync(mandateId);
        Assert.Equal(2, (int)retrying.period);
        Assert.Equal(2, (int)retrying.attempt);
        Assert.InRange((DateTime)retrying.due_at, DateTime.UtcNow.AddDays(3).AddMinutes(-5), DateTime.UtcNow.AddDays(3).AddMinutes(5));
        Assert.Equal("starter", await BillingApi.PlanAsync(session));

        await ComeDueAsync(mandateId);
        await RunSchedulerAsync();
        await SettleLatestAsync(mandateId);
        Assert.Equal(160m, await BillingApi.AvailableAsync(session));

        await ComeDueAsync(mandateId);
        await RunSchedulerAsync();
        await SettleLatestAsync(mandateId);
        Assert.Equal(240m, await BillingApi.AvailableAsync(session));

        var made = _trueLayer.MandatePayments(mandateId);
        Assert.Equal(4, made.Count);
        Assert.All(made, p => Assert.Equal(1000, p["amount_in_minor"]!.GetValue<long>()));
        Assert.All(_trueLayer.PostsTo("/v3/payments"), p => Assert.True(p.SignatureValid));
        var page = await (await session.GetAsync("/api/v1/payments")).JsonAsync();
        var statuses = page.GetProperty("data").EnumerateArray().Select(p => (p.GetProperty("status").GetString(), p.GetProperty("failureReason").GetString())).ToList();
        Assert.Equal(3, statuses.Count(s => s.Item1 == "paid"));
        Assert.Equal(("failed", "insufficient_funds"), Assert.Single(statuses, s => s.Item1 == "failed"));
        await using var db2 = new NpgsqlConnection(db.ConnectionString);
        var notice = await db2.QuerySingleAsync<string>("SELECT payload::text FROM webhook_deliveries WHERE user_id = @userId AND event = 'subscription.payment_failed'", new { userId });
        var body = JsonNode.Parse(notice)!;
        Assert.Equal("insufficient_funds", body["data"]!["failureReason"]!.GetValue<string>());
        Assert.False(body["data"]!["planEnded"]!.GetValue<bool>());
    }

    [Fact]
    public async Task MonthlyPayment_FailingThreeTimes_EndsThePlan_AndRevokesTheMandate()
    {
        var (_, session, _, mandateId, _) = await SubscribeAsync();
        await AuthorizeAsync(mandateId);
        await RunSchedulerAsync();
        await SettleLatestAsync(mandateId);

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            await ComeDueAsync(mandateId);
            _trueLayer.FailNextMandatePayment = "insufficient_funds";
            await RunSchedulerAsync();
        }

        Assert.Null(await BillingApi.PlanAsync(session));
        Assert.Equal(4, _trueLayer.MandatePayments(mandateId).Count);
        Assert.True(Assert.Single(_trueLayer.PostsTo($"/v3/mandates/{mandateId}/revoke")).SignatureValid);
        Assert.Equal("revoked", _trueLayer.Mandate(mandateId)["status"]!.GetValue<string>());
        Assert.Equal("ended", (string)(await MandateAsync(mandateId)).status);
        Assert.Equal(80m, await BillingApi.AvailableAsync(session));
    }

    [Fact]
    public async Task MandateRevoked_EndsThePlanAtThePaidMonthsEnd_AndNoFurtherPaymentIsMade()
    {
        var (_, session, _, mandateId, _) = await SubscribeAsync();
        await AuthorizeAsync(mandateId);
        await RunSchedulerAsync();
        await SettleLatestAsync(mandateId);

        var revoked = FakeTrueLayer.Event("mandate_revoked", new JsonObject
        {
            ["mandate_id"] = mandateId, ["revoked_at"] = DateTimeOffset.UtcNow.ToString("O"), ["revocation_source"] = "provider",
        });
        Assert.Equal(HttpStatusCode.OK, (await _app.DeliverAsync(_trueLayer.Webhook(revoked))).StatusCode);
        var mandate = await MandateAsync(mandateId);
        Assert.Equal("revoked", (string)mandate.status);
        Assert.InRange((DateTime)mandate.due_at, DateTime.UtcNow.AddMonths(1).AddMinutes(-5), DateTime.UtcNow.AddMonths(1).AddMinutes(5));
        Assert.Equal("starter", await BillingApi.PlanAsync(session));

        await ComeDueAsync(mandateId);
        await RunSchedulerAsync();

        Assert.Null(await BillingApi.PlanAsync(session));
        Assert.Single(_trueLayer.MandatePayments(mandateId));
        Assert.Equal(80m, await BillingApi.AvailableAsync(session));
        Assert.Equal("ended", (string)(await MandateAsync(mandateId)).status);
    }

    [Fact]
    public async Task Cancel_RevokesTheMandateAtTrueLayer_AndTheAuthorisationArrivingLateDoesNotRevive_It()
    {
        var (userId, session, _, mandateId, _) = await SubscribeAsync();
        await AuthorizeAsync(mandateId);
        await RunSchedulerAsync();
        await SettleLatestAsync(mandateId);

        var revoked = await _app.Services.GetRequiredService<MandateCancellation>().CancelAsync(userId, CancellationToken.None);
        await AuthorizeAsync(mandateId);

        Assert.Equal(1, revoked);
        var revoke = Assert.Single(_trueLayer.PostsTo($"/v3/mandates/{mandateId}/revoke"));
        Assert.True(revoke.SignatureValid);
        Assert.Equal("revoked", (string)(await MandateAsync(mandateId)).status);
        Assert.Equal("starter", await BillingApi.PlanAsync(session));
    }

    [Fact]
    public async Task MandateFailed_FailsThePlanPurchase_WithItsReason()
    {
        var (_, session, paymentId, mandateId, _) = await SubscribeAsync();

        var failed = FakeTrueLayer.Event("mandate_failed", new JsonObject { ["mandate_id"] = mandateId, ["failure_reason"] = "authorization_failed", ["failure_stage"] = "authorizing" });
        await _app.DeliverAsync(_trueLayer.Webhook(failed));

        var payment = await BillingApi.PaymentAsync(session, paymentId);
        Assert.Equal("failed", payment.GetProperty("status").GetString());
        Assert.Equal("authorization_failed", payment.GetProperty("failureReason").GetString());
        Assert.Equal(0, await RunSchedulerAsync());
    }

    [Fact]
    public async Task TwoInstancesRunningTheScheduler_MakeExactlyOnePaymentPerPeriod()
    {
        await using var second = TrueLayerApp.Create(db.ConnectionString, _trueLayer);
        var (_, session, _, mandateId, _) = await SubscribeAsync();
        await AuthorizeAsync(mandateId);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => RunSchedulerAsync(i % 2 == 0 ? _app : second)));
        Assert.Single(_trueLayer.MandatePayments(mandateId));
        await SettleLatestAsync(mandateId);
        await ComeDueAsync(mandateId);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => RunSchedulerAsync(i % 2 == 0 ? _app : second)));

        Assert.Equal(2, _trueLayer.MandatePayments(mandateId).Count);
        Assert.Equal(2, _trueLayer.PostsTo("/v3/payments").Count);
        await SettleLatestAsync(mandateId);
        Assert.Equal(160m, await BillingApi.AvailableAsync(session));
    }
}
