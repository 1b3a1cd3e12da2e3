namespace Reelgate.Telemetry;

/// <summary>Section <c>Telemetry</c>; OTLP export itself is switched on by OTEL_EXPORTER_OTLP_ENDPOINT.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    public static TelemetryOptions Read(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<TelemetryOptions>() ?? new TelemetryOptions();

    public TimeSpan QueueSampleInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Serves the metrics in Prometheus's text format at <c>/metrics</c>: to admins, or to anyone on <see cref="PrometheusPort"/>.</summary>
    public bool Prometheus { get; set; }

    /// <summary>A port of its own for <c>/metrics</c>, which then answers nothing else; without one, only admins may scrape.</summary>
    public int? PrometheusPort { get; set; }

    /// <summary>The share of requests traced (0 to 1) when OTEL_TRACES_SAMPLER is unset; a job's steps are always traced.</summary>
    public double TraceSampleRatio { get; set; } = 0.1;

    /// <summary>The most requests traced in any one second (callers' sampled traceparents included); job steps are not counted.</summary>
    public int MaxTracedRequestsPerSecond { get; set; } = 20;
}
