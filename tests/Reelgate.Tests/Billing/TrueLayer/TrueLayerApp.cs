using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Reelgate.Billing.TrueLayer;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Billing.TrueLayer;

/// <summary>The app with TrueLayer configured against the fake, its jku allowlist replaced by the fake's JWKS.</summary>
internal static class TrueLayerApp
{
    public static WebApplicationFactory<Program> Create(string connectionString, FakeTrueLayer fake, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>(fake.Settings) { ["roles"] = "api" };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>()) settings[key] = value;
        return new ReelgateFactory(connectionString, settings).WithWebHostBuilder(builder =>
            builder.ConfigureTestServices(services => services.AddSingleton<TrueLayerJwksAllowlist>(new TestJwksAllowlist(fake.JwksUrl))));
    }

    public static async Task<HttpResponseMessage> DeliverAsync(this WebApplicationFactory<Program> app, HttpRequestMessage webhook) =>
        await app.CreateClient().SendAsync(webhook);

    public static async Task<JsonElement> PaymentAsync(HttpClient session, Guid paymentId)
    {
        var response = await session.GetAsync($"/api/v1/payments/{paymentId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The TrueLayer id our payment row holds.</summary>
    public static async Task<string> TrueLayerIdAsync(string connectionString, Guid paymentId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return await connection.ExecuteScalarAsync<string>("SELECT truelayer_payment_id FROM payments WHERE id = @paymentId", new { paymentId })
            ?? throw new InvalidOperationException($"Payment {paymentId} has no TrueLayer id.");
    }
}
