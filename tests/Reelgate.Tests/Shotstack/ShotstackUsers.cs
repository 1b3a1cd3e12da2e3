using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Reelgate.Credits;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Shotstack;

/// <summary>Users calling the Shotstack-compatible routes with an x-api-key, as the SDKs do.</summary>
internal static class ShotstackUsers
{
    public static readonly Dictionary<string, string?> Settings = new()
    {
        ["Jobs:WorkerConcurrency"] = "1",
        ["Jobs:PollInterval"] = "00:00:00.500",
        ["Rendering:Preset"] = "ultrafast",
    };

    public static async Task<(Guid UserId, HttpClient Client)> CreateAsync(ReelgateFactory app, decimal credits, string[]? scopes = null)
    {
        var session = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var registered = await session.PostAsJsonAsync("/api/v1/auth/register", new { email = $"user-{Guid.NewGuid():N}@example.com", password = "correct horse battery" });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var userId = (await registered.JsonAsync()).GetProperty("id").GetGuid();
        if (credits > 0) await app.Services.GetRequiredService<CreditAdjustments>().AdjustAsync(userId, credits, "test", null, LedgerKinds.Grant, null);
        var created = await session.PostAsJsonAsync("/api/v1/keys", scopes is null ? (object)new { name = "sdk" } : new { name = "sdk", scopes });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Add("x-api-key", (await created.JsonAsync()).GetProperty("key").GetString());
        return (userId, client);
    }

    /// <summary>A one-second Edit the local renderer draws quickly; its title text reads "Hello {{ NAME }}".</summary>
    public static object Edit(object? length = null, object? merge = null) => new Dictionary<string, object?>
    {
        ["timeline"] = new
        {
            background = "#000000",
            tracks = new[] { new { clips = new[] { new { asset = new { type = "title", text = "Hello {{ NAME }}", style = "minimal" }, start = 0, length = length ?? 1 } } } },
        },
        ["output"] = new { format = "mp4", fps = 12, size = new { width = 160, height = 90 } },
        ["merge"] = merge,
    }.Where(p => p.Value is not null).ToDictionary();

    public static async Task<JsonElement> AssertEnvelopeAsync(HttpResponseMessage response, HttpStatusCode status, string message)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.JsonAsync();
        Assert.Equal(["success", "message", "response"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal(status is >= HttpStatusCode.OK and < HttpStatusCode.BadRequest, body.GetProperty("success").GetBoolean());
        Assert.Equal(message, body.GetProperty("message").GetString());
        AssertNoNulls(body);
        return body.GetProperty("response");
    }

    /// <summary>The error envelope; returns `response.error`.</summary>
    public static async Task<string> AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string message)
    {
        var error = await AssertEnvelopeAsync(response, status, message);
        Assert.Equal(["error"], error.EnumerateObject().Select(p => p.Name));
        return error.GetProperty("error").GetString()!;
    }

    public static void AssertFields(JsonElement value, params string[] names) =>
        Assert.Equal(names.Order(), value.EnumerateObject().Select(p => p.Name).Order());

    public static void AssertNoNulls(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in value.EnumerateObject())
            {
                Assert.True(property.Value.ValueKind != JsonValueKind.Null, $"{property.Name} is null");
                AssertNoNulls(property.Value);
            }
        }
        else if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in value.EnumerateArray()) AssertNoNulls(item);
        }
    }

    public static async Task<JsonElement> WaitForDoneAsync(HttpClient client, Guid id)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var render = (await (await client.GetAsync($"/edit/v1/render/{id}?data=false")).JsonAsync()).GetProperty("response");
            var status = render.GetProperty("status").GetString();
            if (status is "done" or "failed" || clock.Elapsed > TimeSpan.FromSeconds(90))
            {
                Assert.Equal("done", status);
                return render;
            }
            await Task.Delay(100);
        }
    }

    public static async Task<Balance> BalanceAsync(ReelgateFactory app, Guid userId) =>
        (await app.Services.GetRequiredService<Ledger>().GetBalanceAsync(userId))!;
}
