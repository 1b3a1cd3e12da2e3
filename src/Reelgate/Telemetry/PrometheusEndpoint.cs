using OpenTelemetry.Metrics;
using Reelgate.ApiKeys;

namespace Reelgate.Telemetry;

/// <summary>
/// <c>/metrics</c> in Prometheus's text format when <c>Telemetry:Prometheus</c> is true: on the API's port for admins only
/// (a session or an admin's key), or, with <c>Telemetry:PrometheusPort</c>, unauthenticated on that port alone, which
/// serves nothing else, for a scraper on the operator's network.
/// </summary>
public static class PrometheusEndpoint
{
    public const string Path = "/metrics";

    /// <summary>The extra address to listen on, when metrics have a port of their own.</summary>
    public static string? ListenUrl(IConfiguration configuration, string host) =>
        TelemetryOptions.Read(configuration) is { Prometheus: true, PrometheusPort: { } port } ? $"http://{host}:{port}" : null;

    /// <summary>Answers 404 to anything but <c>/metrics</c> on the metrics port, before authentication or rate limits.</summary>
    public static IApplicationBuilder UsePrometheusPort(this IApplicationBuilder app, IConfiguration configuration)
    {
        if (TelemetryOptions.Read(configuration) is not { Prometheus: true, PrometheusPort: { } port }) return app;
        return app.UseWhen(c => c.Connection.LocalPort == port && c.Request.Path != Path, branch => branch.Run(c =>
        {
            c.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }));
    }

    public static IEndpointRouteBuilder MapPrometheus(this IEndpointRouteBuilder routes, IConfiguration configuration)
    {
        var options = TelemetryOptions.Read(configuration);
        if (!options.Prometheus) return routes;
        var endpoint = routes.MapPrometheusScrapingEndpoint(Path).ExcludeFromDescription();
        if (options.PrometheusPort is { } port) endpoint.RequireHost($"*:{port}");
        else endpoint.RequireAuthorization("admin").RequireScope(Scopes.Admin);
        return routes;
    }
}
