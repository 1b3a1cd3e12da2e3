using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Reelgate.Credits;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Webhooks;

/// <summary>The app with its webhook module, and the few client steps the webhook tests repeat.</summary>
internal sealed class WebhookTestApp : IDisposable
{
    public static readonly IReadOnlyDictionary<string, string?> Settings = new Dictionary<string, string?>
    {
        ["Jobs:WorkerConcurrency"] = "1",
        ["Jobs:PollInterval"] = "00:00:00.500",
        ["Rendering:Preset"] = "ultrafast",
        ["Webhooks:PollInterval"] = "00:00:00.050",
        ["Webhooks:BackoffUnit"] = "00:00:00.300",
    };

    public WebhookTestApp(string connectionString, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>(Settings);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>()) settings[key] = value;
        App = new ReelgateFactory(connectionString, settings);
    }

    public ReelgateFactory App { get; }

    public void Dispose() => App.Dispose();

    /// <summary>A registered user holding <paramref name="credits"/>, with a client that sends their API key.</summary>
    public async Task<(Guid UserId, HttpClient Client)> UserAsync(decimal credits = 0m)
    {
        var session = App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var registered = await session.PostAsJsonAsync("/api/v1/auth/register", new { email = $"user-{Guid.NewGuid():N}@example.com", password = "correct horse battery" });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var userId = (await registered.JsonAsync()).GetProperty("id").GetGuid();
        if (credits > 0) await App.Services.GetRequiredService<CreditAdjustments>().AdjustAsync(userId, credits, "test", null, LedgerKinds.Grant, null);
        var client = App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Authorization = new("Bearer", await Api.CreateKeyAsync(session));
        return (userId, client);
    }

    /// <summary>Registers <paramref name="url"/> and returns the endpoint's secret.</summary>
    public static async Task<string> RegisterEndpointAsync(HttpClient client, Uri url)
    {
        var response = await client.PutAsJsonAsync("/api/v1/webhook-endpoint", new { url });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("secret").GetString()!;
    }

    /// <summary>A one-second title render at 160x90, 12 fps: the smallest job that produces a real output.</summary>
    public static async Task<Guid> SubmitRenderAsync(HttpClient client)
    {
        const string edit = """
            {"timeline": {"tracks": [{"clips": [{"asset": {"type": "title", "text": "Hook", "style": "minimal"}, "start": 0, "length": 1}]}]},
             "output": {"format": "mp4", "size": {"width": 160, "height": 90}, "fps": 12}}
            """;
        var response = await client.PostAsync("/api/v1/render", Api.Json(edit));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("id").GetGuid();
    }

    /// <summary>Submits a render and cancels it at once: a final job without waiting for ffmpeg.</summary>
    public static async Task<Guid> CanceledJobAsync(HttpClient client)
    {
        var id = await SubmitRenderAsync(client);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/v1/jobs/{id}/cancel", null)).StatusCode);
        return id;
    }

    public static async Task<JsonElement> DeliveriesAsync(HttpClient client)
    {
        var response = await client.GetAsync("/api/v1/webhook-deliveries");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("data");
    }

    public static async Task WaitUntilAsync(Func<bool> condition, double seconds = 60)
    {
        var clock = Stopwatch.StartNew();
        while (!condition() && clock.Elapsed < TimeSpan.FromSeconds(seconds)) await Task.Delay(50);
        Assert.True(condition(), "timed out");
    }
}
