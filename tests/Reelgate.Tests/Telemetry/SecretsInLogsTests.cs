using System.Net;
using System.Net.Http.Json;
using System.Web;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Reelgate.Credits;
using Reelgate.Tests.Support;
using Reelgate.Tests.Webhooks;

namespace Reelgate.Tests.Telemetry;

/// <summary>A whole user's flow with every category logging at Trace, and no secret of it anywhere in the log.</summary>
public sealed class SecretsInLogsTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    private static readonly string[] Categories =
    [
        "Default", "Microsoft", "Microsoft.AspNetCore", "Microsoft.Extensions.Http", "Microsoft.Extensions.Diagnostics.HealthChecks",
        "Microsoft.AspNetCore.DataProtection.KeyManagement.XmlKeyManager", "Npgsql", "System.Net.Http", "Reelgate",
    ];

    [Fact]
    public async Task RegisterKeyRenderWebhookAndDownload_AtTraceLevel_LogNoPasswordKeySecretOrSignature()
    {
        var settings = new Dictionary<string, string?>(WebhookTestApp.Settings);
        foreach (var category in Categories) settings[$"Logging:LogLevel:{category}"] = "Trace";
        using var app = new ReelgateFactory(db.ConnectionString, settings);
        var logs = new LogCapture();
        app.Services.GetRequiredService<ILoggerFactory>().AddProvider(logs);
        await using var receiver = await SignedReceiver.StartAsync();
        var secrets = new List<string>();

        var email = $"user-{Guid.NewGuid():N}@example.com";
        var password = $"pw-{Guid.NewGuid():N}";
        using var session = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var registered = await session.PostAsJsonAsync("/api/v1/auth/register", new { email, password });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var userId = (await registered.JsonAsync()).GetProperty("id").GetGuid();
        await app.Services.GetRequiredService<CreditAdjustments>().AdjustAsync(userId, 5m, "test", null, LedgerKinds.Grant, null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateApiClient().PostAsJsonAsync("/api/v1/auth/login", new { email, password = password + "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await session.PostAsJsonAsync("/api/v1/auth/login", new { email, password })).StatusCode);
        var key = await Api.CreateKeyAsync(session);
        using var wrongKey = app.CreateApiClient(key[..^4] + "abcd");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrongKey.GetAsync("/api/v1/me")).StatusCode);
        using var client = app.CreateApiClient(key);
        receiver.Secret = await WebhookTestApp.RegisterEndpointAsync(client, receiver.Url);
        var id = await WebhookTestApp.SubmitRenderAsync(client);
        await WebhookTestApp.WaitUntilAsync(() => receiver.Received.Count > 0);
        var webhook = Assert.Single(receiver.Received);
        Assert.True(webhook.SignatureValid);
        var link = new Uri(webhook.Json.GetProperty("data").GetProperty("outputs")[0].GetProperty("url").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await app.CreateApiClient().GetAsync(link.PathAndQuery)).StatusCode);
        var job = await (await client.GetAsync($"/api/v1/job/{id}")).JsonAsync();
        Assert.Equal("done", job.GetProperty("status").GetString());

        secrets.AddRange([password, password + "x", key, key[..^4] + "abcd", receiver.Secret, receiver.Secret["whsec_".Length..],
            webhook.Signature, HttpUtility.ParseQueryString(link.Query)["sig"]!, new NpgsqlConnectionStringBuilder(db.ConnectionString).Password!]);
        var text = logs.FullText;
        // The capture really held the flow at its most detailed: the requests and the job are in it.
        Assert.Contains("Trace ", text);
        Assert.Contains("/api/v1/render", text);
        Assert.Contains(id.ToString(), text);
        Assert.Contains("&sig=[redacted]", text);
        foreach (var secret in secrets)
        {
            Assert.True(secret.Length >= 8, $"'{secret}' is too short to search for");
            var at = text.IndexOf(secret, StringComparison.Ordinal);
            Assert.True(at < 0, $"A secret reached the log: …{text[Math.Max(0, at - 200)..Math.Min(text.Length, at + secret.Length + 50)]}…");
        }
    }
}
