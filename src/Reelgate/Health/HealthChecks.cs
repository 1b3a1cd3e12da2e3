using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;
using Reelgate.Data;
using Reelgate.Rendering;

namespace Reelgate.Health;

/// <summary>A bounded round trip: a database that hangs is reported down within <see cref="Timeout"/>, not the connection timeout.</summary>
public sealed class DatabaseHealthCheck(NpgsqlDataSource db, DatabaseAvailability database) : IHealthCheck
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(Timeout);
        try
        {
            await PingAsync(bounded.Token).WaitAsync(Timeout, ct);
            database.RecordReachable();
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException
                                   || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            database.RecordIfOutage(ex);
            return HealthCheckResult.Unhealthy("down");
        }
    }

    private async Task PingAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1", cancellationToken: ct));
    }
}

public sealed class StorageHealthCheck(Reelgate.Storage.IObjectStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        await store.CheckHealthAsync(ct) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("storage unreachable");
}

/// <summary>The renderer's own ffmpeg is checked once and remembered: it does not come and go while the process runs.</summary>
public sealed class FfmpegHealthCheck(IOptions<RenderingOptions> rendering, ToolRunner tools) : IHealthCheck
{
    private Task<bool>? _available;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        await (_available ??= RunsAsync(tools, rendering.Value.FfmpegPath)) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("ffmpeg not found");

    private static async Task<bool> RunsAsync(ToolRunner tools, string path)
    {
        try
        {
            await tools.RunAsync(path, ["-version"], ToolScope.None, _ => { }, CancellationToken.None);
            return true;
        }
        catch (Exception ex) when (ex is RenderFailedException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}

public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder routes)
    {
        var version = typeof(HealthEndpoints).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        routes.MapHealthChecks("/health", new HealthCheckOptions
        {
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
            ResponseWriter = (context, report) =>
            {
                context.Response.ContentType = "application/json";
                var body = new
                {
                    status = report.Status == HealthStatus.Unhealthy ? "unavailable" : "ok",
                    version,
                    checks = report.Entries.ToDictionary(e => e.Key, e => e.Value.Status == HealthStatus.Unhealthy ? e.Value.Description ?? "failing" : "ok"),
                };
                return context.Response.WriteAsync(JsonSerializer.Serialize(body));
            },
        }).WithTags("Health");
        routes.MapGet("/health/live", () => TypedResults.Ok(new { status = "ok" })).WithTags("Health");
        return routes;
    }
}
