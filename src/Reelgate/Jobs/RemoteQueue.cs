using System.Collections.Concurrent;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Reelgate.Data;

namespace Reelgate.Jobs;

/// <summary>
/// The parked remote jobs. A claim leases a batch of due jobs of one provider for one short step each: first those
/// already holding a place upstream (FOR UPDATE SKIP LOCKED), then new ones, as many as the provider's MaxInFlight
/// leaves free, taken in turns across users (each user's oldest waiting job first, the user given a place longest ago
/// first), so one user's burst waits behind every other user's next job. Between
/// steps a job holds no lease: it is data with a next check time.
/// </summary>
public sealed class RemoteQueue(NpgsqlDataSource db, IOptions<JobsOptions> options)
{
    private readonly ConcurrentDictionary<string, bool> _buckets = new();

    /// <summary>
    /// Claims up to <paramref name="limit"/> due jobs of <paramref name="provider"/> in one round trip, one statement:
    /// within the provider's request quota (<paramref name="perSecond"/>, none when 0) and its places upstream
    /// (<paramref name="maxInFlight"/>, unlimited when 0). Allowed is how many the quota let this claim take.
    /// </summary>
    public async Task<RemoteClaim> ClaimAsync(string provider, Guid worker, int limit, int maxInFlight, double perSecond, CancellationToken ct)
    {
        if (limit <= 0) return new([], 0);
        var metered = perSecond > 0;
        if (metered && !_buckets.ContainsKey(provider)) await EnsureBucketAsync(provider, perSecond, ct);
        var args = new
        {
            provider, worker, limit, maxInFlight, perSecond, burst = Math.Max(1, perSecond),
            lease = options.Value.Lease, workerTimeout = options.Value.WorkerTimeout,
        };
        await using var connection = await db.OpenConnectionAsync(ct);
        // The statements run in one transaction: places upstream are counted and given under one lock per provider,
        // shared by every instance, taken before the claim's snapshot so that it counts every place given before.
        await using var results = await GenericPlans.QueryMultipleAsync(connection,
            (maxInFlight > 0 ? $"{InFlightLock};\n" : "") + (metered ? MeteredClaim : UnmeteredClaim), args, ct);
        if (maxInFlight > 0) await results.ReadAsync<object>();
        var jobs = (await results.ReadAsync<RemoteJob>()).AsList();
        if (!metered) return new(jobs, limit);
        var allowed = await results.ReadSingleOrDefaultAsync<int?>();
        if (allowed is null) _buckets.TryRemove(provider, out _);
        return new(jobs, allowed ?? 0);
    }

    /// <summary>A provider's bucket starts full; it is made once per process, and again if it ever goes missing.</summary>
    private async Task EnsureBucketAsync(string provider, double perSecond, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO provider_rate_buckets (provider, tokens, refilled_at) VALUES (@provider, @burst, now()) ON CONFLICT DO NOTHING
            """, new { provider, burst = Math.Max(1, perSecond) }, cancellationToken: ct));
        _buckets[provider] = true;
    }

    private const string InFlightLock = "SELECT pg_advisory_xact_lock(hashtext('reelgate:in-flight:' || @provider))";

    /// <summary>
    /// The quota is a token bucket per provider, holding at most one second of requests and refilled as time passes. Its
    /// row is locked for the claim, which takes no more jobs than the whole tokens it holds and spends one per job taken;
    /// the claim's allowance is kept on the row for the statement after it to read, under the same lock.
    /// </summary>
    private static readonly string MeteredClaim = Claim("""
        bucket AS MATERIALIZED (
            SELECT least(@burst, tokens + greatest(0, extract(epoch FROM now() - refilled_at)) * @perSecond) AS tokens
            FROM provider_rate_buckets WHERE provider = @provider FOR UPDATE),
        allowed AS MATERIALIZED (SELECT coalesce((SELECT least(@limit, floor(tokens))::int FROM bucket), 0) AS n),
        """, """
        ,
        spent AS (
            UPDATE provider_rate_buckets b SET tokens = bucket.tokens - (SELECT count(*) FROM held) - (SELECT count(*) FROM placed),
                last_taken = (SELECT n FROM allowed), refilled_at = greatest(b.refilled_at, now())
            FROM bucket WHERE b.provider = @provider)
        """) + ";\nSELECT last_taken FROM provider_rate_buckets WHERE provider = @provider";

    private static readonly string UnmeteredClaim = Claim("allowed AS (SELECT @limit AS n),", "");

    /// <summary>
    /// Jobs already holding a place upstream first (FOR UPDATE SKIP LOCKED); then new ones, as many as the allowance and
    /// the places free leave room for, in turns across users. "provider &lt;&gt; 'local'" repeats the due index's
    /// predicate, which a plan made for every provider could not prove from the parameter: with it, the one plan prepared
    /// walks that index in order, never sorting the jobs in flight.
    /// </summary>
    private static string Claim(string allowance, string spend) => $"""
        WITH {allowance}
        held AS (
            UPDATE jobs j SET lease_owner = @worker, lease_until = now() + @lease
            FROM (SELECT id FROM jobs
                  WHERE provider = @provider AND {RemoteDue} AND upstream_slot AND run_after <= now() AND NOT {WorkerRegistry.LeaseHolds}
                  ORDER BY run_after LIMIT (SELECT n FROM allowed) FOR UPDATE SKIP LOCKED) due
            WHERE j.id = due.id
            RETURNING {Qualified("j")}),
        free AS (
            SELECT CASE WHEN @maxInFlight > 0
                THEN greatest(@maxInFlight - (SELECT count(*) FROM jobs WHERE provider = @provider AND status IN {JobStatus.ActiveList} AND upstream_slot), 0)
                ELSE @limit END AS places),
        waiting AS (
            SELECT id, user_id, created_at, row_number() OVER (PARTITION BY user_id ORDER BY created_at, id) AS turn
            FROM jobs
            WHERE provider = @provider AND {RemoteDue} AND NOT upstream_slot AND run_after <= now() AND NOT {WorkerRegistry.LeaseHolds}),
        -- When each waiting user last got a place: one index lookup per user who waits, not a scan of the hour's places.
        served AS MATERIALIZED (
            SELECT users.user_id,
                   (SELECT max(slot_at) FROM jobs WHERE provider = @provider AND jobs.user_id = users.user_id
                                                    AND slot_at > now() - interval '1 hour') AS last
            FROM (SELECT DISTINCT user_id FROM waiting) users),
        chosen AS (
            SELECT waiting.id FROM waiting JOIN served USING (user_id)
            ORDER BY turn, served.last NULLS FIRST, created_at, id
            LIMIT greatest(least((SELECT n FROM allowed) - (SELECT count(*) FROM held), (SELECT places FROM free)), 0)),
        placed AS (
            UPDATE jobs j SET upstream_slot = true, slot_at = clock_timestamp(), lease_owner = @worker, lease_until = now() + @lease
            FROM chosen WHERE j.id = chosen.id AND NOT j.upstream_slot AND j.status IN {JobStatus.ActiveList}
            RETURNING {Qualified("j")})
        {spend}
        SELECT * FROM held UNION ALL SELECT * FROM placed
        """;

    /// <summary>
    /// Releases the step's lease and sets the next check; a callback that came during the step makes it due at once. A
    /// status the step read is written with it, with an event when our status moves, unless the job ended meanwhile.
    /// </summary>
    public async Task ParkAsync(RemoteJob job, Guid worker, TimeSpan after, int pollStep, StatusMove? moved, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteScalarAsync<long>(new CommandDefinition($"""
            WITH parked AS (
                UPDATE jobs SET lease_owner = NULL, lease_until = NULL,
                    run_after = CASE WHEN signalled_at >= @ClaimedAt THEN now() ELSE now() + @after END,
                    poll_step = CASE WHEN signalled_at >= @ClaimedAt THEN 0 ELSE @pollStep END,
                    upstream_status = CASE WHEN status IN {JobStatus.ActiveList} THEN coalesce(@upstreamStatus, upstream_status) ELSE upstream_status END,
                    progress = CASE WHEN status IN {JobStatus.ActiveList} THEN coalesce(@progress, progress) ELSE progress END,
                    status = CASE WHEN status IN {JobStatus.ActiveList} THEN coalesce(@status, status) ELSE status END,
                    updated_at = CASE WHEN @upstreamStatus IS NULL THEN updated_at ELSE now() END
                WHERE id = @Id AND lease_owner = @worker
                RETURNING id, status, provider, coalesce(signalled_at >= @ClaimedAt, false) AS signalled),
            event AS (
                INSERT INTO job_events (job_id, status, message) SELECT id, status, @message FROM parked WHERE status = @status RETURNING 1),
            wake AS (SELECT pg_notify(@channel, @prefix || provider) FROM parked WHERE signalled)
            SELECT (SELECT count(*) FROM wake) + 0 * (SELECT count(*) FROM event)
            """, new
        {
            job.Id, job.ClaimedAt, worker, after, pollStep, upstreamStatus = moved?.UpstreamStatus, progress = (float?)moved?.Progress,
            status = moved?.Status, message = moved?.Message, channel = Channels.Jobs, prefix = RemoteSignals.Prefix,
        }, cancellationToken: ct));
    }

    /// <summary>Parks a job after a transient failure with exponential backoff, spending an attempt; false when none is left.</summary>
    public async Task<bool> RetryLaterAsync(RemoteJob job, Guid worker, string reason, CancellationToken ct)
    {
        if (job.Attempts + 1 >= job.MaxAttempts) return false;
        var delay = options.Value.RetryBaseDelay * Math.Pow(2, job.Attempts) * (0.5 + Random.Shared.NextDouble());
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition($"""
            WITH parked AS (
                UPDATE jobs SET attempts = attempts + 1, lease_owner = NULL, lease_until = NULL, run_after = now() + @delay
                WHERE id = @Id AND lease_owner = @worker AND status IN {JobStatus.ActiveList}
                RETURNING id, status),
            event AS (
                INSERT INTO job_events (job_id, status, message) SELECT id, status, @message FROM parked RETURNING 1)
            SELECT count(*) FROM event
            """, new { job.Id, worker, delay, active = JobStatus.Active, message = $"Attempt {job.Attempts + 1} failed ({reason}); retrying in {delay.TotalSeconds:0} s" },
            cancellationToken: ct)) >= 0;
    }

    /// <summary>Canceled jobs whose upstream job may still run, each taken once for a best-effort cancel there.</summary>
    public async Task<IReadOnlyList<(Guid Id, string UpstreamId)>> ClaimUpstreamCancelsAsync(string provider, int limit, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<(Guid, string)>(new CommandDefinition("""
            UPDATE jobs j SET upstream_canceled_at = now()
            FROM (SELECT id FROM jobs WHERE provider = @provider AND status = 'canceled' AND upstream_id IS NOT NULL AND upstream_canceled_at IS NULL
                  LIMIT @limit FOR UPDATE SKIP LOCKED) c
            WHERE j.id = c.id
            RETURNING j.id, j.upstream_id
            """, new { provider, limit }, cancellationToken: ct))).AsList();
    }

    /// <summary>
    /// When the earliest parked job of <paramref name="providers"/> holding a place upstream falls due, or null when none is
    /// parked: one index lookup per provider. Jobs still waiting for a place are announced instead: by NOTIFY when they are
    /// queued and when a job ends and frees a place.
    /// </summary>
    public async Task<DateTime?> NextDueAsync(IReadOnlyList<string> providers, CancellationToken ct)
    {
        // The names are written into the statement, as a constant array, so that its one prepared plan knows how many there
        // are; as a parameter, every call was planned again for its length.
        var names = string.Join(", ", providers.Select(name => $"'{name.Replace("'", "''", StringComparison.Ordinal)}'"));
        await using var connection = await db.OpenConnectionAsync(ct);
        return (await GenericPlans.QueryAsync<DateTime?>(connection, $"""
            SELECT min(next.run_after) FROM unnest(ARRAY[{names}]::text[]) AS p(name)
            CROSS JOIN LATERAL (
                SELECT run_after FROM jobs
                WHERE provider = p.name AND {RemoteDue} AND upstream_slot AND lease_owner IS NULL
                ORDER BY run_after LIMIT 1) next
            """, null, ct: ct)).Single();
    }

    /// <summary>The predicate of the remote due index, written out so that a plan prepared for any provider can use it.</summary>
    private const string RemoteDue = $"provider <> 'local' AND status IN {JobStatus.ActiveList}";

    private static string Qualified(string alias) => string.Join(", ", RemoteJob.Columns.Split(',').Select(column =>
    {
        var trimmed = column.Trim();
        return trimmed.StartsWith("now()", StringComparison.Ordinal) ? trimmed : $"{alias}.{trimmed}";
    }));
}

/// <summary>The jobs a claim took, and how many the provider's request quota allowed it to take.</summary>
public sealed record RemoteClaim(IReadOnlyList<RemoteJob> Jobs, int Allowed);
