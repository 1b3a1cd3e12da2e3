using System.Diagnostics.Metrics;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Reelgate.Common;
using Reelgate.Data;

namespace Reelgate.Telemetry;

/// <summary>
/// Reads the queue's depth and the age of its oldest job per provider every <c>Telemetry:QueueSampleInterval</c>, so the
/// gauges never query the database on the exporter's thread. Runs only while telemetry is exported.
/// </summary>
public sealed class QueueSampler(NpgsqlDataSource db, IMeterFactory meters, IOptions<TelemetryOptions> options, DatabaseAvailability database, ILogger<QueueSampler> logger)
    : PeriodicService(database, logger)
{
    private volatile IReadOnlyList<QueueRow> _rows = [];
    private readonly Meter _meter = meters.Create(ReelgateTelemetry.Name);

    private sealed record QueueRow(string Provider, long Depth, double OldestAgeSeconds);

    protected override TimeSpan Interval => options.Value.QueueSampleInterval;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _meter.CreateObservableGauge("reelgate.jobs.queued", () => Points(r => r.Depth), "{job}",
            "Jobs waiting in status queued, by provider.");
        _meter.CreateObservableGauge("reelgate.jobs.queued.oldest_age", () => Points(r => r.OldestAgeSeconds), "s",
            "Age of the oldest queued job, by provider.");
        return base.StartAsync(cancellationToken);
    }

    protected override async Task RunOnceAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = (await connection.QueryAsync<QueueRow>(new CommandDefinition("""
            SELECT provider, count(*) AS depth, extract(epoch FROM now() - min(created_at))::float8 AS oldest_age_seconds
            FROM jobs WHERE status = 'queued' GROUP BY provider
            """, cancellationToken: ct))).AsList();
        // A provider whose queue emptied reports zero rather than its last depth.
        _rows = rows.Concat(_rows.Where(old => rows.All(r => r.Provider != old.Provider)).Select(old => new QueueRow(old.Provider, 0, 0))).ToList();
    }

    /// <summary>One point per provider with queued jobs; an empty queue reads zero rather than nothing.</summary>
    private IEnumerable<Measurement<double>> Points(Func<QueueRow, double> value)
    {
        var rows = _rows;
        return rows.Count == 0
            ? [new Measurement<double>(0)]
            : rows.Select(r => new Measurement<double>(value(r), new KeyValuePair<string, object?>("job.provider", r.Provider)));
    }
}
