using Dapper;
using Npgsql;

namespace Reelgate.Limits;

public sealed record WindowState(long Used, bool Allowed, double ResetSeconds);

/// <summary>Per-key counts in time buckets; a report adds what a process served and asks for one more.</summary>
public sealed class RateLimitStore(NpgsqlDataSource db)
{
    /// <summary>
    /// Records <paramref name="served"/> requests already served, then admits one more if the window has room.
    /// Counts every bucket that overlaps the window, so the limit is never exceeded by what was recorded.
    /// </summary>
    public async Task<WindowState> ReportAsync(string limiterKey, int served, bool wantOne, int limit, int windowSeconds, int bucketSeconds, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        // The lock comes first, in its own statement, so the count below sees every report committed before it.
        // Counts lost in a database crash only let a few more requests through; not worth a WAL flush per report.
        await connection.ExecuteAsync(new CommandDefinition(
            "SET LOCAL synchronous_commit = off; SELECT pg_advisory_xact_lock(hashtextextended(@limiterKey, 0))", new { limiterKey }, tx, cancellationToken: ct));
        var state = await connection.QuerySingleAsync<WindowState>(new CommandDefinition("""
            WITH clock AS (
                SELECT to_timestamp(floor(extract(epoch FROM clock_timestamp()) / @bucketSeconds) * @bucketSeconds) AS bucket,
                       clock_timestamp() AS at),
            window_rows AS (
                SELECT coalesce(sum(b.granted), 0)::bigint AS used, min(b.bucket_start) AS oldest
                FROM rate_limit_buckets b, clock
                WHERE b.limiter_key = @limiterKey AND b.bucket_start > clock.bucket - make_interval(secs => @windowSeconds)),
            decision AS (
                SELECT used, oldest, (@wantOne AND used + @served + 1 <= @limit) AS allowed FROM window_rows),
            upsert AS (
                INSERT INTO rate_limit_buckets (limiter_key, bucket_start, granted)
                SELECT @limiterKey, clock.bucket, @served + CASE WHEN decision.allowed THEN 1 ELSE 0 END
                FROM clock, decision
                WHERE @served + CASE WHEN decision.allowed THEN 1 ELSE 0 END > 0
                ON CONFLICT (limiter_key, bucket_start) DO UPDATE SET granted = rate_limit_buckets.granted + excluded.granted)
            SELECT decision.used + @served + CASE WHEN decision.allowed THEN 1 ELSE 0 END AS used,
                   decision.allowed,
                   greatest(extract(epoch FROM coalesce(decision.oldest, clock.bucket) + make_interval(secs => @windowSeconds) - clock.at), 0)::float8 AS reset_seconds
            FROM decision, clock
            """, new { limiterKey, served, wantOne, limit, windowSeconds, bucketSeconds }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return state;
    }

    public async Task<int> PurgeAsync(int maxWindowSeconds, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM rate_limit_buckets WHERE bucket_start < now() - make_interval(secs => @maxWindowSeconds * 2)",
            new { maxWindowSeconds }, cancellationToken: ct));
    }
}
