using System.Diagnostics;
using OpenTelemetry.Trace;
using Reelgate.Telemetry;

namespace Reelgate.Tests.Telemetry;

/// <summary>The cap on request traces a second: tracing costs the same at any load, and a job's steps are never capped.</summary>
public sealed class TraceBudgetTests
{
    private long _now = 5_000;

    private TraceSampling Sampler(int perSecond) => new(requestRatio: 1, perSecond, () => _now);

    private static SamplingDecision Request(TraceSampling sampler, ActivityContext parent = default) =>
        sampler.ShouldSample(new SamplingParameters(parent, ActivityTraceId.CreateRandom(), "GET /api/v1/me", ActivityKind.Server)).Decision;

    [Fact]
    public void RequestsPastTheCap_InOneSecond_AreNotTraced_AndTheNextSecondTracesAgain()
    {
        var sampler = Sampler(perSecond: 3);

        var decisions = Enumerable.Range(0, 5).Select(_ => Request(sampler)).ToList();
        _now += 1_000;
        var nextSecond = Request(sampler);

        Assert.Equal(3, decisions.Count(d => d == SamplingDecision.RecordAndSample));
        Assert.Equal(SamplingDecision.Drop, decisions[^1]);
        Assert.Equal(SamplingDecision.RecordAndSample, nextSecond);
    }

    [Fact]
    public void ACallersSampledTraceparent_CountsAgainstTheCap()
    {
        var sampler = Sampler(perSecond: 1);
        var remote = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true);

        Assert.Equal(SamplingDecision.RecordAndSample, Request(sampler, remote));
        Assert.Equal(SamplingDecision.Drop, Request(sampler, remote));
    }

    [Fact]
    public void SpansInsideAKeptSpan_AndJobSteps_AreKeptWhenTheCapIsSpent()
    {
        var sampler = Sampler(perSecond: 1);
        Assert.Equal(SamplingDecision.RecordAndSample, Request(sampler));
        var local = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);

        var child = sampler.ShouldSample(new SamplingParameters(local, local.TraceId, "SELECT", ActivityKind.Client)).Decision;
        var step = sampler.ShouldSample(new SamplingParameters(default, ActivityTraceId.CreateRandom(), JobStep.NamePrefix + "submit", ActivityKind.Internal)).Decision;

        Assert.Equal(SamplingDecision.RecordAndSample, child);
        Assert.Equal(SamplingDecision.RecordAndSample, step);
        Assert.Equal(SamplingDecision.Drop, Request(sampler));
    }
}
