using System.Text.Json;
using Reelgate.Generation;
using Reelgate.Jobs;
using Reelgate.Providers;
using Reelgate.Providers.RunPod;
using Reelgate.Providers.Shotstack;

namespace Reelgate.Tests.Providers;

public sealed class ProviderUnitTests
{
    [Theory]
    [InlineData(5, 1)]
    [InlineData(10, 2)]
    [InlineData(15, 3)]
    public void GenerationPrice_IsOneCreditPerStartedFiveSeconds(int seconds, int credits) =>
        Assert.Equal(credits, Pricing.Generation(seconds));

    [Theory]
    [InlineData("""{"id":"a","status":"IN_QUEUE"}""", UpstreamPhase.Waiting)]
    [InlineData("""{"id":"a","status":"IN_PROGRESS","output":{"pct":40}}""", UpstreamPhase.Running)]
    [InlineData("""{"id":"a","status":"RUNNING"}""", UpstreamPhase.Running)]
    [InlineData("""{"id":"a","status":"COMPLETED","output":{"r2Url":"https://r2.example/v.mp4","durationSec":5,"seed":9}}""", UpstreamPhase.Succeeded)]
    public void RunPodStates_MapToPhases(string json, UpstreamPhase phase)
    {
        var result = Assert.IsType<ProviderResult.Accepted>(RunPodProvider.Read(JsonDocument.Parse(json).RootElement));

        Assert.Equal(phase, result.Status.Phase);
        if (phase == UpstreamPhase.Succeeded) Assert.Equal(("https://r2.example/v.mp4", 9L), (result.Status.OutputUrl, result.Status.Seed));
        if (json.Contains("pct", StringComparison.Ordinal)) Assert.Equal(0.4, result.Status.Progress);
    }

    [Theory]
    [InlineData("""{"id":"a","status":"FAILED","error":"{\"error_type\":\"ValueError\",\"error_message\":\"bad image\"}"}""", "bad image")]
    [InlineData("""{"id":"a","status":"CANCELLED"}""", "canceled")]
    [InlineData("""{"id":"a","status":"TIMED_OUT"}""", "timed out")]
    [InlineData("""{"id":"a","status":"COMPLETED","output":{"error":"no GPU"}}""", "no GPU")]
    public void RunPodEndStatesWithoutAVideo_AreFailures(string json, string reason)
    {
        var failed = Assert.IsType<ProviderResult.Failed>(RunPodProvider.Read(JsonDocument.Parse(json).RootElement));

        Assert.Contains(reason, failed.Reason);
    }

    [Theory]
    [InlineData("queued", UpstreamPhase.Waiting)]
    [InlineData("fetching", UpstreamPhase.Running)]
    [InlineData("preprocessing", UpstreamPhase.Running)]
    [InlineData("rendering", UpstreamPhase.Running)]
    [InlineData("saving", UpstreamPhase.Running)]
    public void ShotstackStatuses_MapToPhases(string status, UpstreamPhase phase)
    {
        var render = JsonDocument.Parse($$"""{"id":"r","status":"{{status}}"}""").RootElement;

        Assert.Equal(phase, Assert.IsType<ProviderResult.Accepted>(ShotstackProvider.Read("r", render)).Status.Phase);
    }

    [Fact]
    public void ShotstackFailedRender_CarriesItsError()
    {
        var render = JsonDocument.Parse("""{"id":"r","status":"failed","error":"Asset could not be downloaded"}""").RootElement;

        Assert.Contains("Asset could not be downloaded", Assert.IsType<ProviderResult.Failed>(ShotstackProvider.Read("r", render)).Reason);
    }

    [Fact]
    public void CallbackToken_MatchesOnlyItselfUnderTheSameKey()
    {
        var token = CallbackTokens.Create();
        var hash = CallbackTokens.Hash(token, "key-a");

        Assert.True(CallbackTokens.Matches(token, hash, "key-a"));
        Assert.False(CallbackTokens.Matches(token, hash, "key-b"));
        Assert.False(CallbackTokens.Matches(token + "x", hash, "key-a"));
        Assert.False(CallbackTokens.Matches(null, hash, "key-a"));
        Assert.False(CallbackTokens.Matches(token, null, "key-a"));
    }

    [Theory]
    [InlineData("16:9", 720, 1280, 720)]
    [InlineData("9:16", 720, 720, 1280)]
    [InlineData("1:1", 720, 720, 720)]
    [InlineData("16:9", 90, 160, 90)]
    public void LocalClipSize_FollowsTheRatioWithEvenSides(string ratio, int shortSide, int width, int height) =>
        Assert.Equal((width, height), LocalMotion.Size(ratio, shortSide));

    [Fact]
    public void LongPrompt_IsWrappedAndEndsInAnEllipsis()
    {
        var text = LocalMotion.Wrap(string.Join(' ', Enumerable.Repeat("lighthouse", 50)), 24, maxLines: 3);

        var lines = text.Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.All(lines, line => Assert.True(line.Length <= 24, line));
        Assert.EndsWith("…", lines[^1]);
    }
}
