using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reelgate.Tests.Fetch;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Providers;

/// <summary>
/// Reelgate's RunPod adapter driving the real Wan 2.2 worker handler (its model replaced by the ffmpeg double) behind
/// the local RunPod shim: submit, progress, the webhook, the copy from the worker's bucket, the charge.
/// </summary>
public sealed class WanWorkerEndToEndTests(TestDatabase db) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private WanWorkerShim _worker = null!;
    private TestHttpServer _relay = null!;
    private ReelgateFactory _app = null!;
    private int _webhooks;

    public async Task InitializeAsync()
    {
        _worker = await WanWorkerShim.StartAsync();
        // The test server has no address the shim can reach; this one forwards RunPod's webhook to it.
        _relay = await TestHttpServer.StartAsync(app => app.MapPost("/webhooks/runpod", async (HttpContext context) =>
        {
            Interlocked.Increment(ref _webhooks);
            using var client = _app.CreateClient();
            using var body = new StreamContent(context.Request.Body);
            body.Headers.ContentType = new("application/json");
            using var response = await client.PostAsync($"/webhooks/runpod{context.Request.QueryString}", body);
            return Results.StatusCode((int)response.StatusCode);
        }));
        _app = ProviderApp.Create(db.ConnectionString, [], new()
        {
            ["RUNPOD_API_KEY"] = WanWorkerShim.ApiKey,
            ["RUNPOD_ENDPOINT_ID"] = WanWorkerShim.Endpoint,
            ["WEBHOOK_RUNPOD_SECRET"] = "whsec-local",
            ["Providers:RunPod:BaseUrl"] = _worker.BaseAddress.ToString(),
            ["Providers:RunPod:PollInterval"] = "00:00:00.500",
            ["Providers:PublicBaseUrl"] = _relay.BaseAddress.ToString().TrimEnd('/'),
        });
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _relay.DisposeAsync();
        await _worker.DisposeAsync();
    }

    [Fact]
    public async Task AGenerationOnTheWorker_EndsDone_WithTheWorkersClipStoredAndCharged()
    {
        var user = await ProviderApp.FundedUserAsync(_app, 3);

        var id = await ProviderApp.SubmitAsync(user.Session, "/api/v1/generate", new { prompt = "a lighthouse at dusk", durationSec = 5, seed = 42, provider = "runpod" });
        var job = await ProviderApp.FinalAsync(user.Session, id, seconds: 240);

        Assert.True(job.GetProperty("status").GetString() == "done", $"{job}\n{_worker.Log}");
        Assert.Equal(42, job.GetProperty("seed").GetInt64());
        Assert.InRange(job.GetProperty("duration").GetDouble(), 5.0, 5.1);
        Assert.Equal(1m, job.GetProperty("credits").GetProperty("charged").GetDecimal());
        Assert.Equal(2m, (await ProviderApp.CreditsAsync(user.Session)).GetProperty("available").GetDecimal());
        Assert.True(Volatile.Read(ref _webhooks) >= 1);
        var url = Assert.Single(job.GetProperty("outputs").EnumerateArray()).GetProperty("url").GetString()!;
        Assert.DoesNotContain(_worker.Prefix, url);
        var stored = Path.Combine(Path.GetTempPath(), $"wan22-e2e-{id}.mp4");
        await File.WriteAllBytesAsync(stored, await _app.CreateClient().GetByteArrayAsync(new Uri(url).PathAndQuery));
        Assert.Equal("1280x704 121 24/1", await ProbeAsync(stored));
        var videos = (await (await user.Session.GetAsync($"/api/v1/videos/{id}")).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("videos");
        Assert.Contains($"/{_worker.Prefix}/", videos[1].GetProperty("url").GetString());
        Assert.Contains($"user_{user.Id}/video_{id}.mp4", videos[1].GetProperty("url").GetString());
    }

    [Fact]
    public async Task AnImageGoneByTheTimeTheWorkerFetchesIt_FailsTheJobWithTheWorkersMessage_AndReleasesTheCredits()
    {
        var image = await File.ReadAllBytesAsync(await TestMedia.ImageAsync());
        var served = 0;
        // Reelgate checks the image at submit; the worker fetches it again later and finds it gone.
        await using var images = await TestHttpServer.StartAsync(app => app.MapGet("/once.png", () =>
            Interlocked.Increment(ref served) == 1 ? Results.Bytes(image, "image/png") : Results.NotFound()));
        var user = await ProviderApp.FundedUserAsync(_app, 1);

        var id = await ProviderApp.SubmitAsync(user.Session, "/api/v1/generate", new { imageUrl = images.Url("/once.png").ToString(), durationSec = 5, provider = "runpod" });
        var job = await ProviderApp.FinalAsync(user.Session, id, seconds: 240);

        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Equal("upstream-failed", job.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("input.imageUrl: answered HTTP 404", job.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(2, Volatile.Read(ref served));
        Assert.Equal(1m, (await ProviderApp.CreditsAsync(user.Session)).GetProperty("available").GetDecimal());
    }

    private static async Task<string> ProbeAsync(string path)
    {
        var info = new ProcessStartInfo("ffprobe", $"-v error -select_streams v:0 -count_frames -show_entries stream=width,height,nb_read_frames,r_frame_rate -of csv=p=0 {path}")
        {
            RedirectStandardOutput = true,
        };
        using var probe = Process.Start(info)!;
        var fields = (await probe.StandardOutput.ReadToEndAsync()).Trim().Split(',');
        await probe.WaitForExitAsync();
        return $"{fields[0]}x{fields[1]} {fields[3]} {fields[2]}";
    }
}
