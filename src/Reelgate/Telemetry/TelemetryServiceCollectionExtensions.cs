using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Reelgate.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// With OTEL_EXPORTER_OTLP_ENDPOINT set, exports traces (ASP.NET Core, HttpClient, Npgsql, job steps), metrics
    /// (ASP.NET Core, HttpClient, <c>reelgate.*</c>) and logs over OTLP, configured by the standard OTEL_* variables
    /// (OTEL_EXPORTER_OTLP_PROTOCOL, OTEL_SERVICE_NAME, …). Without it nothing is collected or sent.
    /// </summary>
    public static IServiceCollection AddTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TelemetryOptions>().Bind(configuration.GetSection(TelemetryOptions.Section));
        if (string.IsNullOrWhiteSpace(configuration[EndpointVariable])) return services;

        services.AddHostedService<QueueSampler>();
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("reelgate", serviceVersion: typeof(TelemetryOptions).Assembly.GetName().Version?.ToString()))
            .WithTracing(tracing => tracing
                .AddSource(ReelgateTelemetry.Name)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddNpgsql())
            .WithMetrics(metrics => metrics
                .AddMeter(ReelgateTelemetry.Name)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation())
            .WithLogging()
            .UseOtlpExporter();
        return services;
    }
}
