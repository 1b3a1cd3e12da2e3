using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Reelgate.Tests.Support;

/// <summary>The app under test for billing, optionally in another environment (startup rules depend on it).</summary>
internal static class BillingApp
{
    public static WebApplicationFactory<Program> Create(string connectionString, IReadOnlyDictionary<string, string?>? settings = null, string? environment = null)
    {
        var app = new ReelgateFactory(connectionString, settings);
        return environment is null ? app : app.WithWebHostBuilder(builder => builder.UseEnvironment(environment));
    }
}

internal static partial class BillingApi
{
    public static HttpClient CreateApiClient(this WebApplicationFactory<Program> app) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public static async Task<(Guid Id, HttpClient Session)> RegisterAsync(WebApplicationFactory<Program> app)
    {
        var client = app.CreateApiClient();
        var response = await client.PostAsJsonAsync("/api/v1/auth/register", new { email = $"buyer-{Guid.NewGuid():N}@example.com", password = "correct horse battery" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return ((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid(), client);
    }

    public static async Task<decimal> AvailableAsync(HttpClient session) =>
        (await (await session.GetAsync("/api/v1/credits")).JsonAsync()).GetProperty("available").GetDecimal();

    public static async Task<string?> PlanAsync(HttpClient session) =>
        (await (await session.GetAsync("/api/v1/me")).JsonAsync()).GetProperty("plan").GetString();

    public static async Task<(Guid PaymentId, string CheckoutUrl)> PurchaseAsync(HttpClient session, object body, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/credits/purchase") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", idempotencyKey ?? Guid.NewGuid().ToString());
        var response = await session.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var json = await response.JsonAsync();
        return (json.GetProperty("paymentId").GetGuid(), json.GetProperty("checkoutUrl").GetString()!);
    }

    /// <summary>Presses the sandbox checkout page's pay button, as the buyer's browser would.</summary>
    public static async Task PaySandboxAsync(WebApplicationFactory<Program> app, string checkoutUrl)
    {
        var path = new Uri(checkoutUrl).AbsolutePath;
        var browser = app.CreateApiClient();
        var token = WebUtility.HtmlDecode(SandboxToken().Match(await browser.GetStringAsync(path)).Groups[1].Value);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostAsync(path, new FormUrlEncodedContent([new("token", token)]))).StatusCode);
    }

    [GeneratedRegex("name=\"token\" value=\"([^\"]+)\"")]
    private static partial Regex SandboxToken();

    public static async Task<JsonElement> PaymentAsync(HttpClient session, Guid paymentId)
    {
        var page = await (await session.GetAsync("/api/v1/payments")).JsonAsync();
        return page.GetProperty("data").EnumerateArray().Single(p => p.GetProperty("id").GetGuid() == paymentId);
    }
}
