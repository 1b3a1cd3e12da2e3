using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Billing.TrueLayer;

/// <summary>Which provider a purchase goes to when Stripe and TrueLayer are both configured, and the catalogue's minor-unit prices.</summary>
public sealed class TrueLayerProviderChoiceTests(TestDatabase db) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private FakeTrueLayer _trueLayer = null!;
    private FakeStripe _stripe = null!;
    private WebApplicationFactory<Program> _app = null!;

    public async Task InitializeAsync()
    {
        _trueLayer = await FakeTrueLayer.StartAsync();
        _stripe = await FakeStripe.StartAsync();
        _app = TrueLayerApp.Create(db.ConnectionString, _trueLayer, _stripe.Settings);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _trueLayer.DisposeAsync();
        await _stripe.DisposeAsync();
    }

    private static async Task<HttpResponseMessage> PurchaseAsync(HttpClient session, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/credits/purchase") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        return await session.SendAsync(request);
    }

    [Fact]
    public async Task Purchase_WithoutAProvider_WhenTwoAreConfigured_Is400NamingProvider_AndChargesNothing()
    {
        var (_, session) = await BillingApi.RegisterAsync(_app);

        var missing = await PurchaseAsync(session, new { pack = "credits-50" });
        var unknown = await PurchaseAsync(session, new { pack = "credits-50", provider = "paypal" });

        var problem = await Api.AssertProblemAsync(missing, HttpStatusCode.BadRequest, "validation");
        Assert.Contains("stripe, truelayer", problem.GetProperty("errors").GetProperty("provider")[0].GetString());
        await Api.AssertProblemAsync(unknown, HttpStatusCode.BadRequest, "validation");
        Assert.Empty(_trueLayer.Requests);
        Assert.Empty(_stripe.Requests);
        Assert.Equal(0, (await (await session.GetAsync("/api/v1/payments")).JsonAsync()).GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task Purchase_NamingEachProvider_GoesToThatProvider()
    {
        var (_, session) = await BillingApi.RegisterAsync(_app);

        var (_, bank) = await BillingApi.PurchaseAsync(session, new { pack = "credits-50", provider = "truelayer" });
        var (_, card) = await BillingApi.PurchaseAsync(session, new { pack = "credits-50", provider = "stripe" });

        Assert.StartsWith("https://payment.truelayer-sandbox.com/payments#payment_id=", bank);
        Assert.StartsWith("https://checkout.stripe.com/", card);
        Assert.Single(_trueLayer.PostsTo("/v3/payments"));
        Assert.Single(_stripe.RequestsTo("/v1/checkout/sessions"));
    }

    [Fact]
    public async Task Catalog_ListsBothProviders_AndPricesInGbpAndEurMinorUnits()
    {
        var catalog = await (await _app.CreateClient().GetAsync("/api/v1/billing/catalog")).JsonAsync();

        Assert.Equal("stripe,truelayer", string.Join(",", catalog.GetProperty("providers").EnumerateArray().Select(p => p.GetString())));
        var starter = catalog.GetProperty("plans").EnumerateArray().Single(p => p.GetProperty("id").GetString() == "starter");
        Assert.Equal(1000, starter.GetProperty("minorPrices").GetProperty("gbp").GetInt64());
        Assert.Equal(1200, starter.GetProperty("minorPrices").GetProperty("eur").GetInt64());
        var pack = catalog.GetProperty("packs")[0];
        Assert.Equal(700, pack.GetProperty("minorPrices").GetProperty("gbp").GetInt64());
    }

    [Fact]
    public async Task BillingPage_OffersPayByBank_InTheTrueLayerCurrency_BesideTheCardCheckout()
    {
        var (_, session) = await BillingApi.RegisterAsync(_app);

        var page = await session.GetStringAsync("/billing");

        Assert.Contains("value=\"bank:credits-50\"", page);
        Assert.Contains("value=\"pack:credits-50\"", page);
        Assert.Contains("value=\"bank:starter\"", page);
        Assert.Contains("Pay by bank (7.00 GBP)", page);
    }
}
