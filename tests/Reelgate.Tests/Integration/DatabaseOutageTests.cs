using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Reelgate.Credits;
using Reelgate.Data;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Integration;

/// <summary>The app against a PostgreSQL server of its own that the test stops and starts again.</summary>
public sealed class DatabaseOutageTests : IClassFixture<PrivatePostgres>, IDisposable
{
    private const string TitleEdit = """
        {"timeline": {"tracks": [{"clips": [{"asset": {"type": "title", "text": "Back", "style": "minimal"}, "start": 0, "length": 1}]}]},
         "output": {"format": "mp4", "size": {"width": 160, "height": 90}, "fps": 12}}
        """;
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(8);
    private readonly PrivatePostgres _db;
    private readonly ReelgateFactory _app;
    private readonly LogCapture _logs = new();

    public DatabaseOutageTests(PrivatePostgres db)
    {
        _db = db;
        _app = new ReelgateFactory(db.ConnectionString, new Dictionary<string, string?>
        {
            ["Jobs:WorkerConcurrency"] = "1",
            ["Jobs:PollInterval"] = "00:00:00.500",
            ["Rendering:Preset"] = "ultrafast",
            ["Logging:LogLevel:Reelgate.Data.DatabaseAvailability"] = "Information",
        });
        _app.Services.GetRequiredService<ILoggerFactory>().AddProvider(_logs);
    }

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task DatabaseStopped_Answers503WithRetryAfter_AndWorkResumesWhenItIsBack()
    {
        var user = await Api.RegisterAsync(_app);
        await _app.Services.GetRequiredService<CreditAdjustments>().AdjustAsync(user.Id, 5m, "test", null, LedgerKinds.Grant, null);
        using var client = _app.CreateApiClient(await Api.CreateKeyAsync(user.Session));
        using var unusedKey = _app.CreateApiClient(await Api.CreateKeyAsync(user.Session, "unused"));
        using var monitor = _app.CreateApiClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/credits")).StatusCode);

        await _db.StopAsync();

        await AssertUnavailableAsync(await client.GetAsync("/api/v1/credits"));
        await AssertUnavailableAsync(await client.PostAsync("/api/v1/render", Api.Json(TitleEdit)));
        await AssertUnavailableAsync(await unusedKey.GetAsync("/api/v1/me"));
        using var page = new HttpRequestMessage(HttpMethod.Get, "/") { Headers = { { "Accept", "text/html" } } };
        var pageResponse = await user.Session.SendAsync(page);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, pageResponse.StatusCode);
        Assert.Equal("text/html", pageResponse.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Temporarily unavailable", await pageResponse.Content.ReadAsStringAsync());
        Assert.True(pageResponse.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        var clock = Stopwatch.StartNew();
        var health = await monitor.GetAsync("/health");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"/health took {clock.Elapsed}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal("down", (await health.JsonAsync()).GetProperty("checks").GetProperty("database").GetString());
        // Long enough for every background loop to fail a few times.
        await Task.Delay(TimeSpan.FromSeconds(2));

        await _db.StartAsync();

        clock.Restart();
        var credits = await client.GetAsync("/api/v1/credits");
        while (credits.StatusCode != HttpStatusCode.OK && clock.Elapsed < Recovery)
        {
            await Task.Delay(100);
            credits = await client.GetAsync("/api/v1/credits");
        }
        Assert.Equal(HttpStatusCode.OK, credits.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await unusedKey.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal("ok", (await (await monitor.GetAsync("/health")).JsonAsync()).GetProperty("checks").GetProperty("database").GetString());
        var submit = await client.PostAsync("/api/v1/render", Api.Json(TitleEdit));
        Assert.Equal(HttpStatusCode.Accepted, submit.StatusCode);
        var id = (await submit.JsonAsync()).GetProperty("id").GetGuid();
        Assert.Equal("done", await WaitForFinalStatusAsync(client, id, TimeSpan.FromSeconds(20)));
        Assert.True(await EventuallyAsync(() => _app.Services.GetRequiredService<Notifications>().IsListening, Recovery), "the listener did not reconnect");

        Assert.False(_app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
        var transitions = _logs.Entries.Where(e => e.Category == typeof(DatabaseAvailability).FullName).ToList();
        Assert.Equal(2, transitions.Count);
        Assert.StartsWith("Database unreachable", transitions[0].Message);
        Assert.StartsWith("Database reachable again", transitions[1].Message);
        Assert.DoesNotContain(_logs.Entries, e => e.Level >= LogLevel.Warning && e.Category != typeof(DatabaseAvailability).FullName);
    }

    private static async Task AssertUnavailableAsync(HttpResponseMessage response)
    {
        await Api.AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable, "unavailable");
        Assert.InRange(response.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
    }

    private static async Task<string> WaitForFinalStatusAsync(HttpClient client, Guid id, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var status = (await (await client.GetAsync($"/api/v1/job/{id}")).JsonAsync()).GetProperty("status").GetString()!;
            if (status is "done" or "failed" or "canceled" || clock.Elapsed > timeout) return status;
            await Task.Delay(100);
        }
    }

    private static async Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!condition() && clock.Elapsed < timeout) await Task.Delay(100);
        return condition();
    }
}
