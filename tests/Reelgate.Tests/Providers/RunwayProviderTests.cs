using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reelgate.Tests.Fetch;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Providers;

/// <summary>Generation on Runway through its fake: model, ratio and duration mapping, polling, THROTTLED, failures.</summary>
public sealed class RunwayProviderTests(TestDatabase db) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private FakeRunway _runway = null!;
    private ReelgateFactory _app = null!;
    private TestHttpServer _images = null!;

    public async Task InitializeAsync()
    {
        var png = await TestMedia.ImageAsync();
        _images = await TestHttpServer.StartAsync(app => app.MapGet("/photo.png", () => Results.File(png, "image/png")));
        _runway = await FakeRunway.StartAsync();
        _app = ProviderApp.Create(db.ConnectionString, [_runway], new() { ["Generation:Provider"] = "runway" });
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _runway.DisposeAsync();
        await _images.DisposeAsync();
    }

    [Fact]
    public async Task ImageToVideo_SendsTheMappedModelRatioAndDuration_AndCopiesTheOutput()
    {
        var user = await ProviderApp.FundedUserAsync(_app, 2);

        var id = await ProviderApp.SubmitAsync(user.Session, "/api/v1/generate",
            new { imageUrl = _images.Url("/photo.png"), prompt = "slow dolly", durationSec = 10, ratio = "9:16", seed = 3 });
        var job = await ProviderApp.FinalAsync(user.Session, id);

        Assert.Equal("done", job.GetProperty("status").GetString());
        Assert.Equal("runway", job.GetProperty("provider").GetString());
        Assert.Equal("/v1/image_to_video", Assert.Single(_runway.Paths));
        var sent = JsonDocument.Parse(Assert.Single(_runway.Jobs.Values).Request).RootElement;
        Assert.Equal("gen4_turbo", sent.GetProperty("model").GetString());
        Assert.Equal("720:1280", sent.GetProperty("ratio").GetString());
        Assert.Equal(10, sent.GetProperty("duration").GetInt32());
        Assert.Equal(3, sent.GetProperty("seed").GetInt64());
        Assert.Equal("slow dolly", sent.GetProperty("promptText").GetString());
        Assert.Equal(_images.Url("/photo.png").ToString(), sent.GetProperty("promptImage").GetString());
        Assert.Equal(2m, job.GetProperty("credits").GetProperty("charged").GetDecimal());
        Assert.Single(job.GetProperty("outputs").EnumerateArray());
    }

    [Fact]
    public async Task TextToVideo_UsesTheTextModel()
    {
        var user = await ProviderApp.FundedUserAsync(_app, 1);

        var job = await ProviderApp.FinalAsync(user.Session,
            await ProviderApp.SubmitAsync(user.Session, "/api/v1/generate", new { prompt = "a fox in snow", durationSec = 5 }));

        Assert.Equal("done", job.GetProperty("status").GetString());
        Assert.Equal("/v1/text_to_video", Assert.Single(_runway.Paths));
        var sent = JsonDocument.Parse(Assert.Single(_runway.Jobs.Values).Request).RootElement;
        Assert.Equal("gen4.5", sent.GetProperty("model").GetString());
        Assert.Equal("1280:720", sent.GetProperty("ratio").GetString());
        Assert.False(sent.TryGetProperty("promptImage", out _));
    }

    [Fact]
    public async Task ThrottledTask_IsWaitedOut_NotFailed()
    {
        _runway.ThrottledSteps = 3;
        var user = await ProviderApp.FundedUserAsync(_app, 1);

        var job = await ProviderApp.FinalAsync(user.Session,
            await ProviderApp.SubmitAsync(user.Session, "/api/v1/generate", new { prompt = "a fox in snow", durationSec = 5 }));

        Assert.Equal("done", job.GetProperty("status").GetString());
        Assert.Contains("THROTTLED", _runway.ObservedStatuses);
        Assert.Single(_runway.Jobs);
    }

    [Fact]
    public async Task FailedTask_FailsTheJobWithRunwaysReasonAndCode_AndReleasesTheCredits()
    {
        _runway.FailWith = "The prompt was flagged by moderation";
        var user = await ProviderApp.FundedUserAsync(_app, 1);

        var job = await ProviderApp.FinalAsync(user.Session,
            await ProviderApp.SubmitAsync(user.Session, "/api/v1/generate", new { prompt = "a fox in snow", durationSec = 5 }));

        Assert.Equal("failed", job.GetProperty("status").GetString());
        var message = job.GetProperty("error").GetProperty("message").GetString()!;
        Assert.Contains("flagged by moderation", message);
        Assert.Contains("SAFETY.INPUT.TEXT", message);
        Assert.Equal(1m, (await ProviderApp.CreditsAsync(user.Session)).GetProperty("available").GetDecimal());
    }

    [Fact]
    public async Task SubmitThatTimesOut_IsNotSentTwice_AndFailsTheJobWithTheReason()
    {
        _runway.SubmitDelay = TimeSpan.FromSeconds(3);
        var user = await ProviderApp.FundedUserAsync(_app, 1);

        var job = await ProviderApp.FinalAsync(user.Session,
            await ProviderApp.SubmitAsync(user.Session, "/api/v1/generate", new { prompt = "a fox in snow", durationSec = 5 }));

        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Equal("upstream-unknown", job.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(1, _runway.SubmitCalls);
        Assert.Equal(1m, (await ProviderApp.CreditsAsync(user.Session)).GetProperty("available").GetDecimal());
    }

    [Theory]
    [InlineData(15, "16:9", "durationSec")]
    [InlineData(5, "1:1", "ratio")]
    public async Task WhatRunwayCannotMake_Answers400AtTheField(int durationSec, string ratio, string field)
    {
        var user = await ProviderApp.FundedUserAsync(_app, 5);

        var response = await user.Session.PostAsJsonAsync("/api/v1/generate", new { prompt = "a fox", durationSec, ratio });

        var problem = await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
        Assert.Empty(_runway.Jobs);
    }
}
