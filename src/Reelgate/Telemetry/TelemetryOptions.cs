namespace Reelgate.Telemetry;

/// <summary>Section <c>Telemetry</c>; export itself is switched on by OTEL_EXPORTER_OTLP_ENDPOINT.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    public TimeSpan QueueSampleInterval { get; set; } = TimeSpan.FromSeconds(15);
}
