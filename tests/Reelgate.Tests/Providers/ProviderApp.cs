using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Reelgate.Credits;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Providers;

/// <summary>Reelgate on a test server wired to fake upstreams, whose callbacks reach it through the factory's client.</summary>
internal static class ProviderApp
{
    public const string PublicBaseUrl = "http://reelgate.test";

    public static ReelgateFactory Create(string connectionString, FakeUpstream[] fakes, Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Jobs:WorkerConcurrency"] = "2",
            ["Jobs:PollInterval"] = "00:00:00.300",
            ["Jobs:RetryBaseDelay"] = "00:00:00.200",
            ["Rendering:Preset"] = "ultrafast",
            // Status tests poll the API many times a second; the limiter has its own tests.
            ["RateLimit:Requests"] = "100000",
            ["Providers:PublicBaseUrl"] = PublicBaseUrl,
            ["Providers:OutputAttempts"] = "3",
            ["Providers:OutputRetryDelay"] = "00:00:00.050",
            ["Generation:LocalShortSide"] = "90",
            ["Generation:LocalFps"] = "12",
            ["Shotstack:Callbacks:BackoffUnit"] = "00:00:00.020",
            ["Shotstack:Callbacks:PollInterval"] = "00:00:00.100",
        };
        foreach (var fake in fakes)
        {
            var section = fake switch
            {
                FakeRunPod => "Providers:RunPod",
                FakeShotstack => "Providers:Shotstack",
                _ => "Providers:Runway",
            };
            settings[$"{section}:RetryDelay"] = "00:00:00.050";
            settings[$"{section}:MaxRetryDelay"] = "00:00:00.500";
            settings[$"{section}:AttemptTimeout"] = "00:00:01";
            settings[$"{section}:PollInterval"] = "00:00:00.150";
            switch (fake)
            {
                case FakeRunPod:
                    settings["RUNPOD_API_KEY"] = FakeRunPod.ApiKey;
                    settings["RUNPOD_ENDPOINT_ID"] = FakeRunPod.Endpoint;
                    settings["WEBHOOK_RUNPOD_SECRET"] = "whsec-test";
                    settings[$"{section}:BaseUrl"] = fake.BaseAddress.ToString();
                    break;
                case FakeShotstack shotstack:
                    settings["SHOTSTACK_API_KEY"] = FakeShotstack.ApiKey;
                    settings["SHOTSTACK_API_URL"] = shotstack.EditApi.ToString();
                    break;
                default:
                    settings["RUNWAY_API_KEY"] = "key_" + new string('0', 128);
                    settings[$"{section}:BaseUrl"] = fake.BaseAddress.ToString();
                    break;
            }
        }
        foreach (var (key, value) in extra ?? []) settings[key] = value;
        var app = new ReelgateFactory(connectionString, settings);
        RouteCallbacks(app, fakes);
        return app;
    }

    /// <summary>Points the fakes' callbacks at this app (the URL's host is not reachable from outside a test server).</summary>
    public static void RouteCallbacks(ReelgateFactory app, FakeUpstream[] fakes)
    {
        foreach (var fake in fakes)
        {
            fake.Deliver = async (url, body) =>
            {
                using var client = app.CreateClient();
                using var response = await client.PostAsync(new Uri(url).PathAndQuery, Api.Json(body));
                return (int)response.StatusCode;
            };
        }
    }

    public static async Task<Registered> FundedUserAsync(ReelgateFactory app, decimal credits)
    {
        var user = await Api.RegisterAsync(app);
        if (credits > 0) await app.Services.GetRequiredService<CreditAdjustments>().AdjustAsync(user.Id, credits, "test", null, LedgerKinds.Grant, null);
        return user;
    }

    public static async Task<Guid> SubmitAsync(HttpClient client, string path, object body)
    {
        var response = await client.PostAsJsonAsync(path, body);
        var json = await response.JsonAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {json}");
        return json.GetProperty("id").GetGuid();
    }

    public static async Task<JsonElement> FinalAsync(HttpClient client, Guid id, double seconds = 60)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var job = await (await client.GetAsync($"/api/v1/job/{id}")).JsonAsync();
            if (job.GetProperty("status").GetString() is "done" or "failed" or "canceled") return job;
            if (clock.Elapsed > TimeSpan.FromSeconds(seconds)) throw new TimeoutException($"Job {id} did not end: {job}");
            await Task.Delay(100);
        }
    }

    public static async Task<JsonElement> CreditsAsync(HttpClient client) => await (await client.GetAsync("/api/v1/credits")).JsonAsync();
}
