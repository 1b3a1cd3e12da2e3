using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Reelgate.Credits;
using Reelgate.Tests.Fetch;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Integration;

public sealed class RenderFailureTests : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private readonly ReelgateFactory _app;
    private readonly string _png = Path.Combine(Path.GetTempPath(), $"reelgate-asset-{Guid.NewGuid():N}.png");
    private TestHttpServer _assets = null!;
    private int _flakyCalls;

    public RenderFailureTests(TestDatabase db) => _app = new ReelgateFactory(db.ConnectionString, new Dictionary<string, string?>
    {
        ["Jobs:WorkerConcurrency"] = "1",
        ["Jobs:PollInterval"] = "00:00:00.500",
        ["Jobs:RetryBaseDelay"] = "00:00:00.200",
        ["Rendering:Preset"] = "ultrafast",
    });

    public async Task InitializeAsync()
    {
        using (var ffmpeg = Process.Start("ffmpeg", $"-v error -y -f lavfi -i color=c=red:s=64x36 -frames:v 1 {_png}")) await ffmpeg.WaitForExitAsync();
        _assets = await TestHttpServer.StartAsync(app =>
        {
            app.MapGet("/image.png", () => Results.File(_png, "image/png"));
            app.MapGet("/flaky.png", () => Interlocked.Increment(ref _flakyCalls) <= 2 ? Results.StatusCode(503) : Results.File(_png, "image/png"));
            app.MapGet("/missing.png", () => Results.NotFound());
        });
    }

    public async Task DisposeAsync()
    {
        await _assets.DisposeAsync();
        await _app.DisposeAsync();
        File.Delete(_png);
    }

    private string ImageEdit(string path) => $$"""
        {"timeline": {"cache": false, "tracks": [{"clips": [{"asset": {"type": "image", "src": "{{_assets.Url(path)}}"}, "start": 0, "length": 1}]}]},
         "output": {"format": "mp4", "size": {"width": 160, "height": 90}, "fps": 12} }
        """;

    private async Task<(Registered User, HttpClient Client)> FundedAsync()
    {
        var user = await Api.RegisterAsync(_app);
        await _app.Services.GetRequiredService<CreditAdjustments>().AdjustAsync(user.Id, 1m, "test", null, LedgerKinds.Grant, null);
        return (user, user.Session);
    }

    private static async Task<JsonElement> FinalAsync(HttpClient client, Guid id)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var job = await (await client.GetAsync($"/api/v1/job/{id}")).JsonAsync();
            if (job.GetProperty("status").GetString() is "done" or "failed" or "canceled" || clock.Elapsed > TimeSpan.FromSeconds(60)) return job;
            await Task.Delay(100);
        }
    }


    [Fact]
    public async Task AssetServerFailingTwice_IsRetriedWithBackoff_AndTheJobCompletes()
    {
        var (_, client) = await FundedAsync();
        var id = (await (await client.PostAsync("/api/v1/render", Api.Json(ImageEdit("/flaky.png")))).JsonAsync()).GetProperty("id").GetGuid();

        var job = await FinalAsync(client, id);

        Assert.Equal("done", job.GetProperty("status").GetString());
        Assert.Equal(3, _flakyCalls);
        Assert.Equal(2, job.GetProperty("events").EnumerateArray().Count(e => e.GetProperty("message").GetString()!.Contains("retrying", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task MissingAsset_FailsTheJobWithTheUrlAndReleasesTheCredits()
    {
        var (_, client) = await FundedAsync();
        var id = (await (await client.PostAsync("/api/v1/render", Api.Json(ImageEdit("/missing.png")))).JsonAsync()).GetProperty("id").GetGuid();

        var job = await FinalAsync(client, id);

        Assert.Equal("failed", job.GetProperty("status").GetString());
        var error = job.GetProperty("error");
        Assert.Equal("asset-fetch-failed", error.GetProperty("code").GetString());
        Assert.Contains("/missing.png", error.GetProperty("message").GetString());
        Assert.Contains("404", error.GetProperty("message").GetString());
        Assert.Equal(0.10m, job.GetProperty("credits").GetProperty("released").GetDecimal());
        var credits = await (await client.GetAsync("/api/v1/credits")).JsonAsync();
        Assert.Equal(1m, credits.GetProperty("available").GetDecimal());
        Assert.Equal(0m, credits.GetProperty("held").GetDecimal());
    }

    [Fact]
    public async Task SameIdempotencyKey_QueuesOneJobAndHoldsOnce()
    {
        var (_, client) = await FundedAsync();
        HttpRequestMessage Submit() => new(HttpMethod.Post, "/api/v1/render") { Content = Api.Json(ImageEdit("/image.png")), Headers = { { "Idempotency-Key", "render-once" } } };

        var first = await client.SendAsync(Submit());
        var second = await client.SendAsync(Submit());

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal((await first.JsonAsync()).GetProperty("id").GetGuid(), (await second.JsonAsync()).GetProperty("id").GetGuid());
        var jobs = await (await client.GetAsync("/api/v1/jobs")).JsonAsync();
        Assert.Single(jobs.GetProperty("data").EnumerateArray());
    }
}
