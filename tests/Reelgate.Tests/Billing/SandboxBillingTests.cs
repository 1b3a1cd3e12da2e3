using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Billing;

/// <summary>The sandbox provider: the default without a Stripe key, a TEST MODE page, and refused in production.</summary>
public sealed partial class SandboxBillingTests(TestDatabase db) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private WebApplicationFactory<Program> _app = null!;

    public Task InitializeAsync()
    {
        _app = BillingApp.Create(db.ConnectionString, new Dictionary<string, string?> { ["roles"] = "api" });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [GeneratedRegex("name=\"token\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    private static async Task<HttpResponseMessage> PressTheButtonAsync(HttpClient browser, string path)
    {
        var page = await browser.GetStringAsync(path);
        var token = WebUtility.HtmlDecode(TokenField().Match(page).Groups[1].Value);
        return await browser.PostAsync(path, new FormUrlEncodedContent([new("token", token)]));
    }

    [Fact]
    public async Task SandboxPack_PurchasePageButton_GrantsCreditsOnceAndListsThePaymentAsPaid()
    {
        var (_, session) = await BillingApi.RegisterAsync(_app);
        var (paymentId, checkoutUrl) = await BillingApi.PurchaseAsync(session, new { pack = "credits-200" });
        var path = new Uri(checkoutUrl).AbsolutePath;
        Assert.Equal($"/billing/sandbox/checkout/{paymentId}", path);

        var browser = _app.CreateApiClient();
        var page = await browser.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("TEST MODE", html);
        Assert.Contains("200 credits", html);

        var completed = await PressTheButtonAsync(browser, path);
        Assert.Equal(HttpStatusCode.Redirect, completed.StatusCode);
        Assert.Equal(200m, await BillingApi.AvailableAsync(session));
        var payment = await BillingApi.PaymentAsync(session, paymentId);
        Assert.Equal("paid", payment.GetProperty("status").GetString());
        Assert.Equal("sandbox", payment.GetProperty("provider").GetString());

        Assert.Contains("paid", await browser.GetStringAsync(path));
        await browser.PostAsync(path, new FormUrlEncodedContent([new("token", "forged")]));
        Assert.Equal(200m, await BillingApi.AvailableAsync(session));
    }

    [Fact]
    public async Task SandboxPlan_Completing_GrantsTheFirstMonthAndSetsThePlan()
    {
        var (_, session) = await BillingApi.RegisterAsync(_app);
        var (paymentId, checkoutUrl) = await BillingApi.PurchaseAsync(session, new { plan = "creator" });

        await PressTheButtonAsync(_app.CreateApiClient(), new Uri(checkoutUrl).AbsolutePath);

        Assert.Equal(250m, await BillingApi.AvailableAsync(session));
        Assert.Equal("creator", await BillingApi.PlanAsync(session));
        Assert.Equal("paid", (await BillingApi.PaymentAsync(session, paymentId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task SandboxButton_WithoutTheFormToken_Returns400AndGrantsNothing()
    {
        var (_, session) = await BillingApi.RegisterAsync(_app);
        var (paymentId, checkoutUrl) = await BillingApi.PurchaseAsync(session, new { pack = "credits-50" });

        var response = await _app.CreateApiClient().PostAsync(new Uri(checkoutUrl).AbsolutePath, new FormUrlEncodedContent([new("token", "not-a-token")]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0m, await BillingApi.AvailableAsync(session));
        Assert.Equal("pending", (await BillingApi.PaymentAsync(session, paymentId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task SandboxButton_WithAMalformedForm_Returns400AndGrantsNothing()
    {
        var (_, session) = await BillingApi.RegisterAsync(_app);
        var (paymentId, checkoutUrl) = await BillingApi.PurchaseAsync(session, new { pack = "credits-50" });
        var truncated = new StringContent("--b\r\nContent-Disposition: form-data; name=\"token\"\r\n\r\nabc");
        truncated.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");

        var response = await _app.CreateApiClient().PostAsync(new Uri(checkoutUrl).AbsolutePath, truncated);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0m, await BillingApi.AvailableAsync(session));
        Assert.Equal("pending", (await BillingApi.PaymentAsync(session, paymentId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Catalog_WithoutAStripeKey_NamesTheSandboxAndAllPlans()
    {
        var catalog = await (await _app.CreateClient().GetAsync("/api/v1/billing/catalog")).JsonAsync();

        Assert.Equal("sandbox", catalog.GetProperty("provider").GetString());
        Assert.Equal(["starter", "creator", "studio"], catalog.GetProperty("plans").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Portal_InTheSandbox_Returns409()
    {
        var (_, session) = await BillingApi.RegisterAsync(_app);
        await Api.AssertProblemAsync(await session.PostAsync("/api/v1/billing/portal", null), HttpStatusCode.Conflict, "no-billing-customer");
    }

    [Theory]
    [InlineData("Production", null)]
    [InlineData("Testing", "false")]
    public async Task Startup_WithTheSandboxWhereItIsNotAllowed_FailsWithAClearMessage(string environment, string? allowSandbox)
    {
        await using var app = BillingApp.Create(db.ConnectionString, new Dictionary<string, string?> { ["roles"] = "api", ["Billing:AllowSandbox"] = allowSandbox }, environment);

        var failure = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        var validation = failure as OptionsValidationException ?? Assert.IsType<OptionsValidationException>(failure.InnerException);
        Assert.Contains("sandbox", validation.Message);
        Assert.Contains("STRIPE_SECRET_KEY", validation.Message);
    }

    [Fact]
    public async Task Startup_InProductionWithTheSandboxExplicitlyAllowed_Starts()
    {
        await using var app = BillingApp.Create(db.ConnectionString, new Dictionary<string, string?> { ["roles"] = "api", ["Billing:AllowSandbox"] = "true" }, "Production");

        var catalog = await (await app.CreateClient().GetAsync("/api/v1/billing/catalog")).JsonAsync();

        Assert.Equal("sandbox", catalog.GetProperty("provider").GetString());
    }
}
