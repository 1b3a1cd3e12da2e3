namespace Reelgate.Tests.Telemetry;

/// <summary>
/// Apps that export telemetry run alone, after every other collection: an OpenTelemetry provider listens to every
/// ActivitySource and Meter in the process, so it would also sample and receive the spans and measurements of any app
/// running beside it (another test's job steps, the fake servers those steps call).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OpenTelemetryCollection
{
    public const string Name = "OpenTelemetry";
}
