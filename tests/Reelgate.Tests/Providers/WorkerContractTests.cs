using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reelgate.Fetch;
using Reelgate.Providers;
using Reelgate.Providers.RunPod;
using Reelgate.Tests.Fetch;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Providers;

/// <summary>The RunPod adapter against workers/wan22/contract.json: what it sends, what it reads, and the fake that stands in for the worker.</summary>
public sealed class WorkerContractTests(TestDatabase db) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private FakeRunPod _runpod = null!;
    private TestHttpServer _images = null!;
    private ReelgateFactory _app = null!;

    public async Task InitializeAsync()
    {
        _runpod = await FakeRunPod.StartAsync();
        var image = await TestMedia.ImageAsync();
        _images = await TestHttpServer.StartAsync(app => app.MapGet("/still.png", () => Results.File(image, "image/png")));
        _app = ProviderApp.Create(db.ConnectionString, [_runpod]);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _images.DisposeAsync();
        await _runpod.DisposeAsync();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Submit_SendsAnInputTheWorkersContractAccepts_WithTheJobsStorageNames(bool withImage)
    {
        var user = await ProviderApp.FundedUserAsync(_app, 3);
        object request = withImage
            ? new { imageUrl = _images.Url("/still.png").ToString(), durationSec = 15, ratio = "9:16", provider = "runpod" }
            : new { prompt = "a lighthouse at dusk", durationSec = 5, seed = 42, provider = "runpod" };

        var id = await ProviderApp.SubmitAsync(user.Session, "/api/v1/generate", request);
        await ProviderApp.FinalAsync(user.Session, id);

        var input = JsonDocument.Parse(Assert.Single(_runpod.Jobs.Values).Request).RootElement.GetProperty("input");
        Assert.Equal([], WorkerContract.Errors("input", input));
        Assert.Equal(id, input.GetProperty("jobId").GetGuid());
        Assert.Equal(user.Id, input.GetProperty("userId").GetGuid());
        Assert.True(input.GetProperty("createdAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
        Assert.Equal(withImage, input.GetProperty("imageUrl").ValueKind == JsonValueKind.String);
    }

    [Fact]
    public async Task TheFakeWorker_AnswersProgressAndOutputInTheContractsShapes()
    {
        _runpod.StepDelay = TimeSpan.FromSeconds(1);
        _runpod.SendCallbacks = false;
        var user = await ProviderApp.FundedUserAsync(_app, 1);
        var id = await ProviderApp.SubmitAsync(user.Session, "/api/v1/generate", new { prompt = "x", durationSec = 5, provider = "runpod" });
        using var http = new HttpClient { BaseAddress = _runpod.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", FakeRunPod.ApiKey);
        var seen = new Dictionary<string, JsonElement>();

        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!seen.ContainsKey("COMPLETED") && clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            foreach (var job in _runpod.Jobs.Values)
            {
                var status = await http.GetFromJsonAsync<JsonElement>($"/v2/{FakeRunPod.Endpoint}/status/{job.Id}");
                if (status.TryGetProperty("output", out var output)) seen[status.GetProperty("status").GetString()!] = output.Clone();
            }
            await Task.Delay(200);
        }

        Assert.Equal([], WorkerContract.Errors("progress", seen["IN_PROGRESS"]));
        Assert.Equal([], WorkerContract.Errors("output", seen["COMPLETED"]));
        Assert.Equal("done", (await ProviderApp.FinalAsync(user.Session, id)).GetProperty("status").GetString());
    }

    [Fact]
    public void Read_TakesTheContractsOutput_AndNothingElse()
    {
        var output = new JsonObject { ["r2Url"] = "https://bucket.example.r2.cloudflarestorage.com/wan22/v.mp4?X-Amz-Signature=abc", ["durationSec"] = 10.042, ["seed"] = 77 };
        Assert.Equal([], WorkerContract.Errors("output", output.ToJsonString()));
        var completed = new JsonObject { ["id"] = "rp-1", ["status"] = "COMPLETED", ["output"] = output };
        var renamed = new JsonObject { ["id"] = "rp-2", ["status"] = "COMPLETED", ["output"] = new JsonObject { ["videoUrl"] = "https://x/v.mp4", ["durationSec"] = 5, ["seed"] = 1 } };
        Assert.NotEqual([], WorkerContract.Errors("output", renamed["output"]!.ToJsonString()));

        var accepted = Assert.IsType<ProviderResult.Accepted>(RunPodProvider.Read(JsonDocument.Parse(completed.ToJsonString()).RootElement));
        var refused = RunPodProvider.Read(JsonDocument.Parse(renamed.ToJsonString()).RootElement);

        Assert.Equal((UpstreamPhase.Succeeded, output["r2Url"]!.GetValue<string>(), 10.042, 77L),
            (accepted.Status.Phase, accepted.Status.OutputUrl, accepted.Status.Duration, accepted.Status.Seed));
        Assert.Equal("RunPod completed the job without a video URL", Assert.IsType<ProviderResult.Failed>(refused).Reason);
    }

    [Fact]
    public void Read_TakesTheProgressOfTheContractsProgressUpdate()
    {
        var progress = new JsonObject { ["type"] = "progress", ["progress"] = 0.375, ["stage"] = "denoise", ["segment"] = 2, ["segments"] = 3 };
        Assert.Equal([], WorkerContract.Errors("progress", progress.ToJsonString()));
        var status = new JsonObject { ["id"] = "rp-1", ["status"] = "IN_PROGRESS", ["output"] = progress };

        var accepted = Assert.IsType<ProviderResult.Accepted>(RunPodProvider.Read(JsonDocument.Parse(status.ToJsonString()).RootElement));

        Assert.Equal((UpstreamPhase.Running, 0.375), (accepted.Status.Phase, accepted.Status.Progress));
    }

    [Fact]
    public void Read_OfTheWorkersErrorShape_FailsWithItsMessage()
    {
        var status = JsonDocument.Parse("""{"id":"rp-1","status":"FAILED","error":"input.ratio: must be one of 16:9, 9:16"}""").RootElement;

        var failed = Assert.IsType<ProviderResult.Failed>(RunPodProvider.Read(status));

        Assert.Equal("RunPod job failed: input.ratio: must be one of 16:9, 9:16", failed.Reason);
    }

    [Fact]
    public async Task ARatioTheModelCannotMake_Answers400AtRatio_AndSubmitsNothing()
    {
        var user = await ProviderApp.FundedUserAsync(_app, 1);

        var response = await user.Session.PostAsJsonAsync("/api/v1/generate", new { prompt = "x", durationSec = 5, ratio = "1:1", provider = "runpod" });

        var problem = await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation");
        Assert.Contains("16:9, 9:16", problem.GetProperty("errors").GetProperty("ratio")[0].GetString());
        Assert.Empty(_runpod.Jobs);
        Assert.Equal(1m, (await ProviderApp.CreditsAsync(user.Session)).GetProperty("available").GetDecimal());
    }

    [Fact]
    public void TheFetchGuard_SortsEveryAddressAsTheWorkerDoes()
    {
        var cases = JsonDocument.Parse(File.ReadAllText(Path.Combine(WorkerContract.Folder, "tests", "address_cases.json"))).RootElement.GetProperty("cases");

        foreach (var item in cases.EnumerateObject())
        {
            Assert.True(UrlGuard.Describe(IPAddress.Parse(item.Name)) == item.Value.GetString(), $"{item.Name}: {UrlGuard.Describe(IPAddress.Parse(item.Name))}");
        }
        Assert.True(cases.EnumerateObject().Count() >= 40);
    }
}
