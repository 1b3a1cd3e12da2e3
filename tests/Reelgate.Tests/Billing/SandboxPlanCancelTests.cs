using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Reelgate.Billing;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Billing;

/// <summary>Cancelling a sandbox plan: the subscription ends as with Stripe's subscription.deleted, for that user only.</summary>
public sealed partial class SandboxPlanCancelTests(TestDatabase db) : IClassFixture<TestDatabase>, IAsyncLifetime
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

    private async Task<(Guid Id, HttpClient Session)> SubscribedUserAsync(string plan)
    {
        var (userId, session) = await BillingApi.RegisterAsync(_app);
        var (_, checkoutUrl) = await BillingApi.PurchaseAsync(session, new { plan });
        var path = new Uri(checkoutUrl).AbsolutePath;
        var browser = _app.CreateApiClient();
        var token = WebUtility.HtmlDecode(TokenField().Match(await browser.GetStringAsync(path)).Groups[1].Value);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostAsync(path, new FormUrlEncodedContent([new("token", token)]))).StatusCode);
        Assert.Equal(plan, await BillingApi.PlanAsync(session));
        return (userId, session);
    }

    [Fact]
    public async Task CancelPlan_EndsTheUsersSandboxSubscription_KeepingGrantedCredits()
    {
        var (userId, session) = await SubscribedUserAsync("starter");
        var (_, other) = await SubscribedUserAsync("creator");
        var sandbox = _app.Services.GetRequiredService<SandboxCheckout>();

        var ended = await sandbox.CancelPlanAsync(userId, CancellationToken.None);

        Assert.Equal(1, ended);
        Assert.Null(await BillingApi.PlanAsync(session));
        Assert.Equal(80m, await BillingApi.AvailableAsync(session));
        Assert.Equal("creator", await BillingApi.PlanAsync(other));
    }

    [Fact]
    public async Task CancelPlan_WithoutALivePlan_EndsNothing()
    {
        var (userId, _) = await SubscribedUserAsync("starter");
        var sandbox = _app.Services.GetRequiredService<SandboxCheckout>();
        await sandbox.CancelPlanAsync(userId, CancellationToken.None);

        var ended = await sandbox.CancelPlanAsync(userId, CancellationToken.None);

        Assert.Equal(0, ended);
    }
}
