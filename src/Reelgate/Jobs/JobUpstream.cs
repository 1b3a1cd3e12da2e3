using Dapper;
using Npgsql;
using Reelgate.Data;

namespace Reelgate.Jobs;

/// <summary>A job's link to its upstream job: the id, the upstream's last status word, the submit marker and the callback token hash.</summary>
public sealed record UpstreamLink(Guid JobId, Guid UserId, string Kind, string Provider, string Status,
    string? UpstreamId, string? UpstreamStatus, DateTime? UpstreamSubmittedAt, byte[]? CallbackTokenHash);

/// <summary>How storing a submit's answer went: stored and parked, stored already (by a callback), or the job had ended.</summary>
public enum Acceptance { Parked, StoredBefore, Ended }

/// <summary>SQL for the upstream columns of jobs. The id is written at most once; every write leaves final jobs alone.</summary>
public sealed class JobUpstream(NpgsqlDataSource db)
{
    public async Task<UpstreamLink?> GetAsync(Guid jobId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<UpstreamLink>(new CommandDefinition("""
            SELECT id AS job_id, user_id, kind, provider, status, upstream_id, upstream_status, upstream_submitted_at, callback_token_hash
            FROM jobs WHERE id = @jobId
            """, new { jobId }, cancellationToken: ct));
    }

    /// <summary>Committed before the submit request leaves, so a worker that dies mid-submit leaves a trace for the next one.</summary>
    public async Task<bool> MarkSubmittingAsync(Guid jobId, Guid worker, byte[] tokenHash, string message, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition($"""
            WITH marked AS (
                UPDATE jobs SET upstream_submitted_at = now(), callback_token_hash = @tokenHash, updated_at = now()
                WHERE id = @jobId AND lease_owner = @worker AND upstream_id IS NULL AND status IN {JobStatus.ActiveList}
                RETURNING id, status),
            event AS (
                INSERT INTO job_events (job_id, status, message) SELECT id, status, @message FROM marked RETURNING 1)
            SELECT count(*) FROM event
            """, new { jobId, worker, tokenHash, message, active = JobStatus.Active }, cancellationToken: ct)) == 1;
    }

    /// <summary>True for the one caller that gets to cancel a canceled job's upstream job.</summary>
    public async Task<bool> MarkUpstreamCanceledAsync(Guid jobId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE jobs SET upstream_canceled_at = now() WHERE id = @jobId AND upstream_id IS NOT NULL AND upstream_canceled_at IS NULL",
            new { jobId }, cancellationToken: ct)) == 1;
    }

    /// <summary>After an answer that says the upstream created nothing, a later submit is safe again.</summary>
    public async Task ClearSubmittingAsync(Guid jobId, Guid worker, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE jobs SET upstream_submitted_at = NULL WHERE id = @jobId AND lease_owner = @worker AND upstream_id IS NULL
            """, new { jobId, worker }, cancellationToken: ct));
    }

    /// <summary>Records the upstream id unless one is recorded already; true when the stored id is now <paramref name="upstreamId"/>.</summary>
    public async Task<bool> SetUpstreamIdAsync(Guid jobId, string upstreamId, string upstreamStatus, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var stored = await connection.ExecuteScalarAsync<int>(new CommandDefinition($"""
            WITH stored AS ({StoreSql}),
            event AS ({AcceptedEventSql})
            SELECT count(*) FROM event
            """, new { jobId, upstreamId, upstreamStatus, active = JobStatus.Active, message = Accepted(upstreamId) }, cancellationToken: ct)) == 1;
        return stored || await IsStoredAsync(connection, jobId, upstreamId, ct);
    }

    /// <summary>
    /// After a submit the upstream accepted: the id is stored and the job parked until its first check, in one statement.
    /// Ended when the job ended first (or holds another id), so the caller cancels what it created upstream.
    /// </summary>
    public async Task<Acceptance> AcceptAndParkAsync(RemoteJob job, Guid worker, string upstreamId, string upstreamStatus, TimeSpan after, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        // The id is stored even when this step's lease was lost meanwhile; the lease and the next check are ours to set only while we hold it.
        var stored = await connection.ExecuteScalarAsync<int>(new CommandDefinition($"""
            WITH stored AS (
                UPDATE jobs SET upstream_id = @upstreamId, upstream_status = @upstreamStatus, updated_at = now(),
                    lease_until = CASE WHEN lease_owner = @worker THEN NULL ELSE lease_until END,
                    run_after = CASE WHEN lease_owner IS DISTINCT FROM @worker THEN run_after
                        WHEN signalled_at >= @claimedAt THEN now() ELSE now() + @after END,
                    poll_step = CASE WHEN lease_owner = @worker THEN 0 ELSE poll_step END,
                    lease_owner = CASE WHEN lease_owner = @worker THEN NULL ELSE lease_owner END
                WHERE id = @jobId AND upstream_id IS NULL AND status IN {JobStatus.ActiveList}
                RETURNING id, status, provider, coalesce(signalled_at >= @claimedAt, false) AS signalled),
            event AS ({AcceptedEventSql}),
            wake AS (SELECT pg_notify(@channel, @prefix || provider) FROM stored WHERE signalled)
            SELECT (SELECT count(*) FROM event) + 0 * (SELECT count(*) FROM wake)
            """, new
        {
            jobId = job.Id, worker, claimedAt = job.ClaimedAt, after, upstreamId, upstreamStatus, active = JobStatus.Active,
            message = Accepted(upstreamId), channel = Channels.Jobs, prefix = RemoteSignals.Prefix,
        }, cancellationToken: ct)) == 1;
        if (stored) return Acceptance.Parked;
        return await IsStoredAsync(connection, job.Id, upstreamId, ct) ? Acceptance.StoredBefore : Acceptance.Ended;
    }

    private const string StoreSql = $"""
        UPDATE jobs SET upstream_id = @upstreamId, upstream_status = @upstreamStatus, updated_at = now()
        WHERE id = @jobId AND upstream_id IS NULL AND status IN {JobStatus.ActiveList}
        RETURNING id, status
        """;

    private const string AcceptedEventSql = "INSERT INTO job_events (job_id, status, message) SELECT id, status, @message FROM stored RETURNING 1";

    private static string Accepted(string upstreamId) => $"Accepted upstream as {upstreamId}";

    /// <summary>A fresh read, after a store that changed nothing: a callback may have stored the same id a moment before.</summary>
    private static async Task<bool> IsStoredAsync(NpgsqlConnection connection, Guid jobId, string upstreamId, CancellationToken ct) =>
        await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT coalesce(upstream_id = @upstreamId, false) FROM jobs WHERE id = @jobId", new { jobId, upstreamId }, cancellationToken: ct));

    public async Task SetStatusAsync(Guid jobId, string upstreamStatus, double? progress, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition($"""
            UPDATE jobs SET upstream_status = @upstreamStatus, progress = coalesce(@progress, progress), updated_at = now()
            WHERE id = @jobId AND status IN {JobStatus.ActiveList} AND upstream_status IS DISTINCT FROM @upstreamStatus
            """, new { jobId, upstreamStatus, progress = (float?)progress, active = JobStatus.Active }, cancellationToken: ct));
    }

    /// <summary>After a verified callback: the job is due at once, whether parked or in a step, and every poller wakes.</summary>
    public async Task SignalAsync(Guid jobId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition($"""
            WITH signalled AS (
                UPDATE jobs SET signalled_at = now(), run_after = least(run_after, now()), poll_step = 0
                WHERE id = @jobId AND status IN {JobStatus.ActiveList} AND provider <> 'local'
                RETURNING provider)
            SELECT pg_notify(@channel, @prefix || provider) FROM signalled
            """, new { jobId, active = JobStatus.Active, channel = Channels.Jobs, prefix = RemoteSignals.Prefix }, cancellationToken: ct));
    }
}
