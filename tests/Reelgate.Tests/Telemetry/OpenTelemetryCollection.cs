namespace Reelgate.Tests.Telemetry;

/// <summary>
/// Apps that export telemetry run one at a time: an OpenTelemetry provider listens to every ActivitySource and Meter in
/// the process, so two at once would sample and receive each other's spans and measurements.
/// </summary>
[CollectionDefinition(Name)]
public sealed class OpenTelemetryCollection
{
    public const string Name = "OpenTelemetry";
}
