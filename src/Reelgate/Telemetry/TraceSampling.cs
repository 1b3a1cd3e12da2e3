using System.Diagnostics;
using OpenTelemetry.Trace;

namespace Reelgate.Telemetry;

/// <summary>
/// Which spans are kept, unless OTEL_TRACES_SAMPLER names one of the standard samplers instead: a job's steps always
/// (a few per job, and what an operator follows a job by), and requests at <c>Telemetry:TraceSampleRatio</c> (0.1),
/// honouring a caller's sampled traceparent, but never more request traces a second than
/// <c>Telemetry:MaxTracedRequestsPerSecond</c> (20): a ratio alone makes tracing cost grow with the load, and at tens of
/// thousands of requests a second exporting a tenth of them costs more than serving them. Work inside a kept span is
/// kept with it. Health probes and scrapes are never traced.
/// </summary>
public sealed class TraceSampling(double requestRatio, int maxRequestsPerSecond, Func<long>? clock = null) : Sampler
{
    public const string SamplerVariable = "OTEL_TRACES_SAMPLER";

    private static readonly SamplingResult Keep = new(SamplingDecision.RecordAndSample);
    private static readonly SamplingResult Drop = new(SamplingDecision.Drop);
    private readonly Sampler _requests = new ParentBasedSampler(new TraceIdRatioBasedSampler(requestRatio));
    private readonly Func<long> _clock = clock ?? (() => Environment.TickCount64);
    private readonly Lock _budget = new();
    private long _second = long.MinValue;
    private int _taken;

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
    {
        if (samplingParameters.Name.StartsWith(JobStep.NamePrefix, StringComparison.Ordinal)) return Keep;
        var result = _requests.ShouldSample(samplingParameters);
        if (result.Decision != SamplingDecision.RecordAndSample) return result;
        // A span inside a kept span of this process is part of that trace, already counted.
        var parent = samplingParameters.ParentContext;
        if (parent.TraceId != default && !parent.IsRemote) return result;
        return TakeFromBudget() ? result : Drop;
    }

    private bool TakeFromBudget()
    {
        var second = _clock() / 1000;
        lock (_budget)
        {
            if (second != _second)
            {
                _second = second;
                _taken = 0;
            }
            if (_taken >= maxRequestsPerSecond) return false;
            _taken++;
            return true;
        }
    }

    /// <summary>Health probes and Prometheus scrapes: frequent, alike, and watched by other means.</summary>
    public static bool IsTraced(HttpContext context) =>
        !context.Request.Path.StartsWithSegments("/health") && context.Request.Path != PrometheusEndpoint.Path;
}
