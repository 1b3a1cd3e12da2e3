using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;
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
    /// (OTEL_EXPORTER_OTLP_PROTOCOL, OTEL_SERVICE_NAME, …). With <c>Telemetry:Prometheus</c>, the same metrics are
    /// served at <c>/metrics</c> (<see cref="PrometheusEndpoint"/>). Without either nothing is collected.
    /// </summary>
    public static IServiceCollection AddTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TelemetryOptions>().Bind(configuration.GetSection(TelemetryOptions.Section));
        var otlp = !string.IsNullOrWhiteSpace(configuration[EndpointVariable]);
        var options = TelemetryOptions.Read(configuration);
        var prometheus = options.Prometheus;
        if (!otlp && !prometheus) return services;

        services.AddHostedService<QueueSampler>();
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("reelgate", serviceVersion: typeof(TelemetryOptions).Assembly.GetName().Version?.ToString()))
            .WithMetrics(metrics =>
            {
                // ASP.NET Core's request and connection meters, not every meter it has: routing, authentication,
                // authorization and the memory pool each record on every request, which costs a small endpoint a tenth
                // of its throughput for figures the request duration (by route and status) already gives.
                metrics.AddMeter(ReelgateTelemetry.Name, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel").AddHttpClientInstrumentation();
                if (prometheus) metrics.AddPrometheusExporter();
            });
        if (!otlp) return services;
        // W3C trace context only: Reelgate reads and writes traceparent/tracestate and carries no baggage, and with the
        // SDK's default (trace context plus baggage) the request instrumentation parses every request's headers a second
        // time after ASP.NET Core has already read its traceparent.
        Sdk.SetDefaultTextMapPropagator(new TraceContextPropagator());
        telemetry
            .WithTracing(tracing =>
            {
                tracing
                    .AddSource(ReelgateTelemetry.Name)
                    .AddAspNetCoreInstrumentation(o => o.Filter = TraceSampling.IsTraced)
                    .AddHttpClientInstrumentation()
                    .AddNpgsql();
                // A sampler set here would silence OTEL_TRACES_SAMPLER, so it is set only without one.
                if (string.IsNullOrWhiteSpace(configuration[TraceSampling.SamplerVariable])) tracing.SetSampler(new TraceSampling(options.TraceSampleRatio, options.MaxTracedRequestsPerSecond));
            })
            .WithLogging()
            .UseOtlpExporter();
        return services;
    }
}
