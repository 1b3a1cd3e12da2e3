using OpenTelemetry.Trace;

namespace Reelgate.Telemetry;

/// <summary>
/// Which spans are kept, unless OTEL_TRACES_SAMPLER names one of the standard samplers instead: a job's steps always
/// (a few per job, and what an operator follows a job by), and requests at <c>Telemetry:TraceSampleRatio</c> (0.1),
/// honouring a caller's sampled traceparent. Work inside a kept span is kept with it. Recording every request would
/// cost a busy server more than its own work; health probes and scrapes are never traced.
/// </summary>
public sealed class TraceSampling(double requestRatio) : Sampler
{
    public const string SamplerVariable = "OTEL_TRACES_SAMPLER";

    private static readonly SamplingResult Keep = new(SamplingDecision.RecordAndSample);
    private readonly Sampler _requests = new ParentBasedSampler(new TraceIdRatioBasedSampler(requestRatio));

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
        samplingParameters.Name.StartsWith(JobStep.NamePrefix, StringComparison.Ordinal) ? Keep : _requests.ShouldSample(samplingParameters);

    /// <summary>Health probes and Prometheus scrapes: frequent, alike, and watched by other means.</summary>
    public static bool IsTraced(HttpContext context) =>
        !context.Request.Path.StartsWithSegments("/health") && context.Request.Path != PrometheusEndpoint.Path;
}
