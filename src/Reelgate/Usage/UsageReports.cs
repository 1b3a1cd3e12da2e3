using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Reelgate.Usage;

public sealed record JobCount(string Kind, string Status, int Count);
public sealed record UsageDay(DateOnly Date, long Requests, IReadOnlyList<JobCount> Jobs, double OutputSeconds, decimal CreditsCharged);
public sealed record UsageTotals(long Requests, int Jobs, double OutputSeconds, decimal CreditsCharged);
public sealed record UsageReport(DateOnly From, DateOnly To, IReadOnlyList<UsageDay> Days, UsageTotals Totals);

public sealed record SpendRow(DateOnly Date, string Provider, int Jobs, double OutputSeconds, decimal Credits, decimal Revenue, decimal Cost, decimal Margin);
public sealed record SpendTotals(int Jobs, double OutputSeconds, decimal Credits, decimal Revenue, decimal Cost, decimal Margin);
public sealed record SpendReport(DateOnly From, DateOnly To, string Currency, decimal CreditPrice, IReadOnlyList<SpendRow> Rows, SpendTotals Totals);

/// <summary>
/// Daily figures in UTC days: requests as counted by <see cref="RequestCounter"/>; jobs on the day they were created,
/// by their current status; output seconds of jobs on the day they finished; credits captured from jobs that day.
/// </summary>
public sealed class UsageReports(NpgsqlDataSource db, IOptions<UsageOptions> options)
{
    public async Task<UsageReport> ForUserAsync(Guid userId, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var (start, end) = Bounds(from, to);
        await using var connection = await db.OpenConnectionAsync(ct);
        var daily = (await connection.QueryAsync<DailyRow>(new CommandDefinition("""
            WITH days AS (SELECT d::date AS day FROM generate_series(@firstDay::date, @lastDay::date, interval '1 day') d),
            requests AS (SELECT day, sum(requests) AS requests FROM usage_requests
                         WHERE user_id = @userId AND day BETWEEN @firstDay::date AND @lastDay::date GROUP BY day),
            finished AS (SELECT (completed_at AT TIME ZONE 'UTC')::date AS day, sum(duration) AS seconds FROM jobs
                         WHERE user_id = @userId AND status = 'done' AND completed_at >= @start AND completed_at < @end GROUP BY 1),
            charged AS (SELECT (created_at AT TIME ZONE 'UTC')::date AS day, -sum(held_amount) AS credits FROM credit_ledger
                        WHERE user_id = @userId AND kind = 'capture' AND created_at >= @start AND created_at < @end GROUP BY 1)
            SELECT days.day::timestamp AS day, coalesce(requests.requests, 0)::bigint AS requests,
                   coalesce(finished.seconds, 0)::float8 AS output_seconds, coalesce(charged.credits, 0) AS credits_charged
            FROM days
            LEFT JOIN requests ON requests.day = days.day
            LEFT JOIN finished ON finished.day = days.day
            LEFT JOIN charged ON charged.day = days.day
            ORDER BY days.day
            """, new { userId, start, end, firstDay = from.ToDateTime(TimeOnly.MinValue), lastDay = to.ToDateTime(TimeOnly.MinValue) }, cancellationToken: ct))).AsList();
        var jobs = (await connection.QueryAsync<JobCountRow>(new CommandDefinition("""
            SELECT (created_at AT TIME ZONE 'UTC')::date::timestamp AS day, kind, status, count(*)::int AS count FROM jobs
            WHERE user_id = @userId AND created_at >= @start AND created_at < @end
            GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            """, new { userId, start, end }, cancellationToken: ct))).ToLookup(j => DateOnly.FromDateTime(j.Day));

        var days = daily.Select(d =>
        {
            var date = DateOnly.FromDateTime(d.Day);
            return new UsageDay(date, d.Requests, jobs[date].Select(j => new JobCount(j.Kind, j.Status, j.Count)).ToList(),
                Math.Round(d.OutputSeconds, 3), d.CreditsCharged);
        }).ToList();
        var totals = new UsageTotals(days.Sum(d => d.Requests), days.Sum(d => d.Jobs.Sum(j => j.Count)),
            Math.Round(days.Sum(d => d.OutputSeconds), 3), days.Sum(d => d.CreditsCharged));
        return new UsageReport(from, to, days, totals);
    }

    /// <summary>Credits captured per day and provider, priced at <see cref="UsageOptions.CreditPrice"/>, against the estimated provider cost.</summary>
    public async Task<SpendReport> SpendAsync(DateOnly from, DateOnly to, CancellationToken ct)
    {
        var (start, end) = Bounds(from, to);
        var settings = options.Value;
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<SpendSource>(new CommandDefinition("""
            SELECT (l.created_at AT TIME ZONE 'UTC')::date::timestamp AS day, j.provider, count(*)::int AS jobs,
                   coalesce(sum(j.duration), 0)::float8 AS output_seconds, -sum(l.held_amount) AS credits
            FROM credit_ledger l JOIN jobs j ON j.id = l.job_id
            WHERE l.kind = 'capture' AND l.created_at >= @start AND l.created_at < @end
            GROUP BY 1, 2 ORDER BY 1, 2
            """, new { start, end }, cancellationToken: ct));
        var report = rows.Select(r =>
        {
            var revenue = decimal.Round(r.Credits * settings.CreditPrice, 4);
            var cost = decimal.Round((decimal)r.OutputSeconds / 60m * settings.CostPerMinute(r.Provider), 4);
            return new SpendRow(DateOnly.FromDateTime(r.Day), r.Provider, r.Jobs, Math.Round(r.OutputSeconds, 3), r.Credits, revenue, cost, revenue - cost);
        }).ToList();
        var totals = new SpendTotals(report.Sum(r => r.Jobs), Math.Round(report.Sum(r => r.OutputSeconds), 3), report.Sum(r => r.Credits),
            report.Sum(r => r.Revenue), report.Sum(r => r.Cost), report.Sum(r => r.Margin));
        return new SpendReport(from, to, settings.Currency, settings.CreditPrice, report, totals);
    }

    private static (DateTime Start, DateTime End) Bounds(DateOnly from, DateOnly to) =>
        (from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));

    private sealed record DailyRow(DateTime Day, long Requests, double OutputSeconds, decimal CreditsCharged);
    private sealed record JobCountRow(DateTime Day, string Kind, string Status, int Count);
    private sealed record SpendSource(DateTime Day, string Provider, int Jobs, double OutputSeconds, decimal Credits);
}
