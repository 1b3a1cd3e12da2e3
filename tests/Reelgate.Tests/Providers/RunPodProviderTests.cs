using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Providers;

/// <summary>Generation on RunPod through its fake: webhook and polling, retries, rejections, throttling, callbacks that must change nothing.</summary>
public sealed class RunPodProviderTests(TestDatabase db) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private FakeRunPod _runpod = null!;
    private ReelgateFactory _app = null!;

    public async Task InitializeAsync()
    {
        _runpod = await FakeRunPod.StartAsync();
        _app = ProviderApp.Create(db.ConnectionString, [_runpod]);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _runpod.DisposeAsync();
    }

    private static object Request(int durationSec = 5) => new { prompt = "a lighthouse at dusk", durationSec, seed = 42, ratio = "16:9", provider = "runpod" };

    [Fact]
    public async Task RunPodGeneration_CompletesFromTheWebhook_CopiesTheVideoAndChargesThePrice()
    {
        var user = await ProviderApp.FundedUserAsync(_app, 5);
        var id = await ProviderApp.SubmitAsync(user.Session, "/api/v1/generate", Request(10));

        var job = await ProviderApp.FinalAsync(user.Session, id);

        Assert.Equal("done", job.GetProperty("status").GetString());
        Assert.Equal("runpod", job.GetProperty("provider").GetString());
        Assert.Equal(42, job.GetProperty("seed").GetInt64());
        Assert.Equal(2m, job.GetProperty("credits").GetProperty("charged").GetDecimal());
        var upstream = Assert.Single(_runpod.Jobs.Values);
        var sent = JsonDocument.Parse(upstream.Request).RootElement;
        Assert.Equal("a lighthouse at dusk", sent.GetProperty("input").GetProperty("prompt").GetString());
        Assert.Equal(10, sent.GetProperty("input").GetProperty("durationSec").GetInt32());
        Assert.StartsWith($"{ProviderApp.PublicBaseUrl}/webhooks/runpod?job={id}&token=", sent.GetProperty("webhook").GetString());
        Assert.Contains(_runpod.Callbacks, c => c.Status == 200);
        var output = Assert.Single(job.GetProperty("outputs").EnumerateArray());
        Assert.DoesNotContain(_runpod.BaseAddress.Authority, output.GetProperty("url").GetString());
        var stored = await _app.CreateClient().GetByteArrayAsync(new Uri(output.GetProperty("url").GetString()!).PathAndQuery);
        Assert.Equal(await File.ReadAllBytesAsync(_runpod.VideoPath), stored);
        var credits = await ProviderApp.CreditsAsync(user.Session);
        Assert.Equal(3m, credits.GetProperty("available").GetDecimal());
        Assert.Equal(0m, credits.GetProperty("held").GetDecimal());
    }

    [Fact]
    public async Task Videos_ListOurStoredCopyFirst_ThenTheProvidersLinkWhileItIsValid()
    {
        var user = await ProviderApp.FundedUserAsync(_app, 1);
        var id = await ProviderApp.SubmitAsync(user.Session, "/api/v1/generate", Request());
        await ProviderApp.FinalAsync(user.Session, id);

        var videos = (await (await user.Session.GetAsync($"/api/v1/videos/{id}")).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("videos");

        Assert.Equal(["storage", "provider"], videos.EnumerateArray().Select(v => v.GetProperty("source").GetString()));
        Assert.DoesNotContain(_runpod.BaseAddress.Authority, videos[0].GetProperty("url").GetString());
        Assert.Contains(_runpod.BaseAddress.Authority, videos[1].GetProperty("url").GetString());
        Assert.True(videos[1].GetProperty("expiresAt").GetDateTime() > DateTime.UtcNow.AddHours(23));
    }

    [Fact]
    public async Task WithoutWebhooks_TheJobIsFollowedByPollingUntilDone()
    {
        _runpod.SendCallbacks = false;
        // Polls back off to at most 16 × 150 ms + 25% jitter = 3 s apart, so a 4 s IN_PROGRESS is always seen.
        _runpod.StepDelay = TimeSpan.FromSeconds(4);
        var user = await ProviderApp.FundedUserAsync(_app, 1);

        var job = await ProviderApp.FinalAsync(user.Session, await ProviderApp.SubmitAsync(user.Session, "/api/v1/generate", Request()));

        Assert.Equal("done", job.GetProperty("status").GetString());
        Assert.Empty(_runpod.Callbacks);
        Assert.Contains(job.GetProperty("events").EnumerateArray(), e => e.GetProperty("message").GetString() == "runpod: IN_PROGRESS");
    }

    [Fact]
    public async Task UpstreamServerErrorsAndTimeouts_AreRetriedWithBackoffAndJitter_AndTheJobCompletes()
    {
        _runpod.FailSubmits(503, 2);
        _runpod.FailStatuses(502, 2);
        _runpod.StatusDelay = TimeSpan.FromSeconds(2);
        _runpod.SlowStatuses = 1;
        var user = await ProviderApp.FundedUserAsync(_app, 1);

        var job = await ProviderApp.FinalAsync(user.Session, await ProviderApp.SubmitAsync(user.Session, "/api/v1/generate", Request()));

        Assert.Equal("done", job.GetProperty("status").GetString());
        Assert.Equal(3, _runpod.SubmitCalls);
        Assert.Single(_runpod.Jobs);
        Assert.Equal(1, _runpod.SlowStatusCalls);
        var gaps = _runpod.SubmitTimes.Zip(_runpod.SubmitTimes.Skip(1), (a, b) => b - a).ToList();
        Assert.All(gaps, gap => Assert.True(gap >= TimeSpan.FromMilliseconds(10), $"retried after only {gap.TotalMilliseconds} ms"));
    }

    [Fact]
    public async Task UpstreamRejection_FailsTheJobWithTheUpstreamsReason_AndReleasesTheCredits()
    {
        _runpod.FailSubmits(400, 1, """{"error":"input.durationSec: this worker makes at most 10 s"}""");
        var user = await ProviderApp.FundedUserAsync(_app, 3);

        var job = await ProviderApp.FinalAsync(user.Session, await ProviderApp.SubmitAsync(user.Session, "/api/v1/generate", Request(15)));

        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Equal("upstream-rejected", job.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("this worker makes at most 10 s", job.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(1, _runpod.SubmitCalls);
        Assert.Equal(3m, job.GetProperty("credits").GetProperty("released").GetDecimal());
        var credits = await ProviderApp.CreditsAsync(user.Session);
        Assert.Equal(3m, credits.GetProperty("available").GetDecimal());
        Assert.Equal(0m, credits.GetProperty("held").GetDecimal());
    }

    [Fact]
    public async Task TooManyRequests_WaitsAndSubmitsLater_InsteadOfFailing()
    {
        _runpod.FailSubmits(429, 5, """{"error":"rate limited"}""", retryAfterSeconds: 0);
        var user = await ProviderApp.FundedUserAsync(_app, 1);

        var job = await ProviderApp.FinalAsync(user.Session, await ProviderApp.SubmitAsync(user.Session, "/api/v1/generate", Request()));

        Assert.Equal("done", job.GetProperty("status").GetString());
        Assert.Equal(6, _runpod.SubmitCalls);
        Assert.Single(_runpod.Jobs);
        Assert.Contains(job.GetProperty("events").EnumerateArray(), e => e.GetProperty("message").GetString()!.Contains("is busy", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DuplicateLateAndOutOfOrderCallbacks_ChangeNothing()
    {
        _runpod.StepDelay = TimeSpan.FromSeconds(1);
        _runpod.SendCallbacks = false;
        var user = await ProviderApp.FundedUserAsync(_app, 1);
        var id = await ProviderApp.SubmitAsync(user.Session, "/api/v1/generate", Request());
        var upstream = await WaitForUpstreamJobAsync();
        var webhook = new Uri(JsonDocument.Parse(upstream.Request).RootElement.GetProperty("webhook").GetString()!).PathAndQuery;
        var hook = _app.CreateClient();

        // Early and claiming completion while RunPod still has it queued: re-read upstream, so nothing is stored yet.
        var early = await hook.PostAsJsonAsync(webhook, new { id = upstream.Id, status = "COMPLETED", output = new { r2Url = "http://127.0.0.1:9/forged.mp4", durationSec = 5.042, seed = 42 } });
        Assert.Equal(HttpStatusCode.OK, early.StatusCode);
        await Task.Delay(300);
        var during = await (await user.Session.GetAsync($"/api/v1/job/{id}")).JsonAsync();
        Assert.NotEqual("done", during.GetProperty("status").GetString());
        Assert.Equal(0, _runpod.OutputCalls);

        var done = await ProviderApp.FinalAsync(user.Session, id);
        Assert.Equal("done", done.GetProperty("status").GetString());
        var events = done.GetProperty("events").GetArrayLength();
        var credits = (await ProviderApp.CreditsAsync(user.Session)).GetRawText();

        // Late, duplicated and contradicting callbacks once the job is final.
        foreach (var status in new[] { "COMPLETED", "COMPLETED", "FAILED", "IN_PROGRESS" })
        {
            var late = await hook.PostAsJsonAsync(webhook, new { id = upstream.Id, status, error = "worker crashed" });
            Assert.Equal(HttpStatusCode.OK, late.StatusCode);
        }

        var after = await (await user.Session.GetAsync($"/api/v1/job/{id}")).JsonAsync();
        Assert.Equal("done", after.GetProperty("status").GetString());
        Assert.Equal(events, after.GetProperty("events").GetArrayLength());
        Assert.Equal(done.GetProperty("updatedAt").GetString(), after.GetProperty("updatedAt").GetString());
        Assert.Equal(credits, (await ProviderApp.CreditsAsync(user.Session)).GetRawText());
        Assert.Equal(1, _runpod.OutputCalls);
    }

    [Fact]
    public async Task CallbackWithAWrongToken_Answers404AndChangesNothing()
    {
        _runpod.StepDelay = TimeSpan.FromSeconds(1);
        _runpod.SendCallbacks = false;
        var user = await ProviderApp.FundedUserAsync(_app, 1);
        var id = await ProviderApp.SubmitAsync(user.Session, "/api/v1/generate", Request());
        var upstream = await WaitForUpstreamJobAsync();
        await Task.Delay(200);
        var before = await (await user.Session.GetAsync($"/api/v1/job/{id}")).JsonAsync();
        var hook = _app.CreateClient();

        var wrong = await hook.PostAsJsonAsync($"/webhooks/runpod?job={id}&token=not-the-token", new { id = upstream.Id, status = "FAILED", error = "x" });
        var missing = await hook.PostAsJsonAsync($"/webhooks/runpod?job={id}", new { id = upstream.Id, status = "FAILED" });
        var otherJob = await hook.PostAsJsonAsync($"/webhooks/runpod?job={Guid.NewGuid()}&token=x", new { id = upstream.Id, status = "FAILED" });
        var token = new Uri(JsonDocument.Parse(upstream.Request).RootElement.GetProperty("webhook").GetString()!).Query.Split("token=")[1];
        var wrongRoute = await hook.PostAsJsonAsync($"/api/v1/webhook?job={id}&token={token}", new { id = upstream.Id, status = "failed" });

        Assert.Equal(HttpStatusCode.NotFound, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherJob.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, wrongRoute.StatusCode);
        var after = await (await user.Session.GetAsync($"/api/v1/job/{id}")).JsonAsync();
        Assert.Equal(before.GetProperty("events").GetArrayLength(), after.GetProperty("events").GetArrayLength());
        Assert.NotEqual("failed", after.GetProperty("status").GetString());
        Assert.Equal("done", (await ProviderApp.FinalAsync(user.Session, id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task OutputLinkThatAnswers404_IsRetriedWithFreshLinks_ThenFailsTheJobAndReleasesTheCredits()
    {
        _runpod.ExpireOutputs = true;
        var user = await ProviderApp.FundedUserAsync(_app, 1);

        var job = await ProviderApp.FinalAsync(user.Session, await ProviderApp.SubmitAsync(user.Session, "/api/v1/generate", Request()));

        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Equal("output-unavailable", job.GetProperty("error").GetProperty("code").GetString());
        var message = job.GetProperty("error").GetProperty("message").GetString()!;
        Assert.Contains("404", message);
        Assert.DoesNotContain("signature", message);
        Assert.Equal(3, _runpod.OutputCalls);
        Assert.Equal(1m, (await ProviderApp.CreditsAsync(user.Session)).GetProperty("available").GetDecimal());
    }

    [Fact]
    public async Task UpstreamFailure_FailsTheJobWithTheWorkersMessage()
    {
        _runpod.FailWith = "CUDA out of memory";
        var user = await ProviderApp.FundedUserAsync(_app, 1);

        var job = await ProviderApp.FinalAsync(user.Session, await ProviderApp.SubmitAsync(user.Session, "/api/v1/generate", Request()));

        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Equal("upstream-failed", job.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("CUDA out of memory", job.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(1m, (await ProviderApp.CreditsAsync(user.Session)).GetProperty("available").GetDecimal());
    }

    [Fact]
    public async Task CancelingAGeneration_CancelsItUpstreamAndReleasesTheCredits()
    {
        _runpod.StepDelay = TimeSpan.FromSeconds(30);
        var user = await ProviderApp.FundedUserAsync(_app, 1);
        var id = await ProviderApp.SubmitAsync(user.Session, "/api/v1/generate", Request());
        var upstream = await WaitForUpstreamJobAsync();
        await Task.Delay(300);

        var canceled = await user.Session.PostAsync($"/api/v1/jobs/{id}/cancel", null);

        Assert.Equal(HttpStatusCode.OK, canceled.StatusCode);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!upstream.Canceled && clock.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(50);
        Assert.True(upstream.Canceled);
        Assert.Equal(1m, (await ProviderApp.CreditsAsync(user.Session)).GetProperty("available").GetDecimal());
    }

    private async Task<FakeJob> WaitForUpstreamJobAsync()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (_runpod.Jobs.IsEmpty)
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(20)) throw new TimeoutException("Nothing was submitted to RunPod.");
            await Task.Delay(50);
        }
        return _runpod.Jobs.Values.Single();
    }
}
