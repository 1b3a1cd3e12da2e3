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
public sealed class JobUpstream
{
    private readonly NpgsqlDataSource _db;
    private readonly StatementLane<Mark, bool> _marks;
    private readonly StatementLane<Accept, bool> _accepts;

    public JobUpstream(NpgsqlDataSource db)
    {
        _db = db;
        _marks = new(MarkAllAsync);
        _accepts = new(AcceptAllAsync);
    }

    public async Task<UpstreamLink?> GetAsync(Guid jobId, CancellationToken ct)
    {
        await using var connection = await _db.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<UpstreamLink>(new CommandDefinition("""
            SELECT id AS job_id, user_id, kind, provider, status, upstream_id, upstream_status, upstream_submitted_at, callback_token_hash
            FROM jobs WHERE id = @jobId
            """, new { jobId }, cancellationToken: ct));
    }

    /// <summary>
    /// Committed before the submit request leaves, so a worker that dies mid-submit leaves a trace for the next one. The
    /// steps of one claim mark their jobs at about the same time, so marks that arrive together are written together.
    /// </summary>
    public Task<bool> MarkSubmittingAsync(Guid jobId, Guid worker, byte[] tokenHash, string message) =>
        _marks.RunAsync(new Mark(jobId, worker, tokenHash, message));

    private sealed record Mark(Guid JobId, Guid Worker, byte[] TokenHash, string Message);

    private async Task<IReadOnlyList<bool>> MarkAllAsync(IReadOnlyList<Mark> marks)
    {
        await using var connection = await _db.OpenConnectionAsync();
        var marked = (await GenericPlans.QueryAsync<Guid>(connection, $"""
            WITH req AS (
                SELECT * FROM unnest(@ids::uuid[], @workers::uuid[], @hashes::bytea[], @messages::text[]) AS r(id, worker, token_hash, message)),
            marked AS (
                UPDATE jobs j SET upstream_submitted_at = now(), callback_token_hash = req.token_hash, updated_at = now()
                FROM req
                WHERE j.id = req.id AND j.lease_owner = req.worker AND j.upstream_id IS NULL AND j.status IN {JobStatus.ActiveList}
                RETURNING j.id, j.status, req.message)
            INSERT INTO job_events (job_id, status, message) SELECT id, status, message FROM marked RETURNING job_id
            """, new
        {
            ids = marks.Select(m => m.JobId).ToArray(), workers = marks.Select(m => m.Worker).ToArray(),
            hashes = marks.Select(m => m.TokenHash).ToArray(), messages = marks.Select(m => m.Message).ToArray(),
        })).ToHashSet();
        return marks.Select(m => marked.Contains(m.JobId)).ToList();
    }

    /// <summary>True for the one caller that gets to cancel a canceled job's upstream job.</summary>
    public async Task<bool> MarkUpstreamCanceledAsync(Guid jobId, CancellationToken ct)
    {
        await using var connection = await _db.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE jobs SET upstream_canceled_at = now() WHERE id = @jobId AND upstream_id IS NOT NULL AND upstream_canceled_at IS NULL",
            new { jobId }, cancellationToken: ct)) == 1;
    }

    /// <summary>After an answer that says the upstream created nothing, a later submit is safe again.</summary>
    public async Task ClearSubmittingAsync(Guid jobId, Guid worker, CancellationToken ct)
    {
        await using var connection = await _db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE jobs SET upstream_submitted_at = NULL WHERE id = @jobId AND lease_owner = @worker AND upstream_id IS NULL
            """, new { jobId, worker }, cancellationToken: ct));
    }

    /// <summary>Records the upstream id unless one is recorded already; true when the stored id is now <paramref name="upstreamId"/>.</summary>
    public async Task<bool> SetUpstreamIdAsync(Guid jobId, string upstreamId, string upstreamStatus, CancellationToken ct)
    {
        await using var connection = await _db.OpenConnectionAsync(ct);
        var stored = await connection.ExecuteScalarAsync<int>(new CommandDefinition($"""
            WITH stored AS ({StoreSql}),
            event AS ({AcceptedEventSql})
            SELECT count(*) FROM event
            """, new { jobId, upstreamId, upstreamStatus }, cancellationToken: ct)) == 1;
        return stored || await IsStoredAsync(connection, jobId, upstreamId, ct);
    }

    /// <summary>
    /// After a submit the upstream accepted: the id is stored and the job parked until its first check, in one statement
    /// with the other acceptances that arrive together. Ended when the job ended first (or holds another id), so the
    /// caller cancels what it created upstream.
    /// </summary>
    public async Task<Acceptance> AcceptAndParkAsync(RemoteJob job, Guid worker, string upstreamId, string upstreamStatus, TimeSpan after)
    {
        if (await _accepts.RunAsync(new Accept(job.Id, job.ClaimedAt, worker, upstreamId, upstreamStatus, after))) return Acceptance.Parked;
        await using var connection = await _db.OpenConnectionAsync();
        return await IsStoredAsync(connection, job.Id, upstreamId, CancellationToken.None) ? Acceptance.StoredBefore : Acceptance.Ended;
    }

    private sealed record Accept(Guid JobId, DateTime ClaimedAt, Guid Worker, string UpstreamId, string UpstreamStatus, TimeSpan After);

    private async Task<IReadOnlyList<bool>> AcceptAllAsync(IReadOnlyList<Accept> accepts)
    {
        await using var connection = await _db.OpenConnectionAsync();
        // The id is stored even when the step's lease was lost meanwhile; the lease and the next check are the step's to
        // set only while it holds the lease. A callback that came during the step makes the job due at once.
        var stored = (await GenericPlans.QueryAsync<Guid>(connection, $"""
            WITH req AS (
                SELECT * FROM unnest(@ids::uuid[], @claimed::timestamptz[], @workers::uuid[], @upstreamIds::text[], @statuses::text[], @afters::interval[])
                    AS r(id, claimed_at, worker, upstream_id, upstream_status, after)),
            stored AS (
                UPDATE jobs j SET upstream_id = req.upstream_id, upstream_status = req.upstream_status, updated_at = now(),
                    lease_until = CASE WHEN j.lease_owner = req.worker THEN NULL ELSE j.lease_until END,
                    run_after = CASE WHEN j.lease_owner IS DISTINCT FROM req.worker THEN j.run_after
                        WHEN j.signalled_at >= req.claimed_at THEN now() ELSE now() + req.after END,
                    poll_step = CASE WHEN j.lease_owner = req.worker THEN 0 ELSE j.poll_step END,
                    lease_owner = CASE WHEN j.lease_owner = req.worker THEN NULL ELSE j.lease_owner END
                FROM req
                WHERE j.id = req.id AND j.upstream_id IS NULL AND j.status IN {JobStatus.ActiveList}
                RETURNING j.id, j.status, j.provider, j.upstream_id, coalesce(j.signalled_at >= req.claimed_at, false) AS signalled),
            event AS ({AcceptedEventSql}),
            wake AS (SELECT pg_notify(@channel, @prefix || provider) FROM (SELECT DISTINCT provider FROM stored WHERE signalled) woken)
            SELECT job_id FROM event WHERE (SELECT count(*) FROM wake) >= 0
            """, new
        {
            ids = accepts.Select(a => a.JobId).ToArray(), claimed = accepts.Select(a => a.ClaimedAt).ToArray(),
            workers = accepts.Select(a => a.Worker).ToArray(), upstreamIds = accepts.Select(a => a.UpstreamId).ToArray(),
            statuses = accepts.Select(a => a.UpstreamStatus).ToArray(), afters = accepts.Select(a => a.After).ToArray(),
            channel = Channels.Jobs, prefix = RemoteSignals.Prefix,
        })).ToHashSet();
        return accepts.Select(a => stored.Contains(a.JobId)).ToList();
    }

    private const string StoreSql = $"""
        UPDATE jobs SET upstream_id = @upstreamId, upstream_status = @upstreamStatus, updated_at = now()
        WHERE id = @jobId AND upstream_id IS NULL AND status IN {JobStatus.ActiveList}
        RETURNING id, status, upstream_id
        """;

    private const string AcceptedEventSql =
        "INSERT INTO job_events (job_id, status, message) SELECT id, status, 'Accepted upstream as ' || upstream_id FROM stored RETURNING job_id";

    /// <summary>A fresh read, after a store that changed nothing: a callback may have stored the same id a moment before.</summary>
    private static async Task<bool> IsStoredAsync(NpgsqlConnection connection, Guid jobId, string upstreamId, CancellationToken ct) =>
        await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT coalesce(upstream_id = @upstreamId, false) FROM jobs WHERE id = @jobId", new { jobId, upstreamId }, cancellationToken: ct));

    public async Task SetStatusAsync(Guid jobId, string upstreamStatus, double? progress, CancellationToken ct)
    {
        await using var connection = await _db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition($"""
            UPDATE jobs SET upstream_status = @upstreamStatus, progress = coalesce(@progress, progress), updated_at = now()
            WHERE id = @jobId AND status IN {JobStatus.ActiveList} AND upstream_status IS DISTINCT FROM @upstreamStatus
            """, new { jobId, upstreamStatus, progress = (float?)progress, active = JobStatus.Active }, cancellationToken: ct));
    }

    /// <summary>After a verified callback: the job is due at once, whether parked or in a step, and every poller wakes.</summary>
    public async Task SignalAsync(Guid jobId, CancellationToken ct)
    {
        await using var connection = await _db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition($"""
            WITH signalled AS (
                UPDATE jobs SET signalled_at = now(), run_after = least(run_after, now()), poll_step = 0
                WHERE id = @jobId AND status IN {JobStatus.ActiveList} AND provider <> 'local'
                RETURNING provider)
            SELECT pg_notify(@channel, @prefix || provider) FROM signalled
            """, new { jobId, active = JobStatus.Active, channel = Channels.Jobs, prefix = RemoteSignals.Prefix }, cancellationToken: ct));
    }
}
