using Dapper;
using Npgsql;
using Reelgate.Data;

namespace Reelgate.Jobs;

/// <summary>A job's link to its upstream job: the id, the upstream's last status word, the submit marker and the callback token hash.</summary>
public sealed record UpstreamLink(Guid JobId, Guid UserId, string Kind, string Provider, string Status,
    string? UpstreamId, string? UpstreamStatus, DateTime? UpstreamSubmittedAt, byte[]? CallbackTokenHash);

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
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition("""
            WITH marked AS (
                UPDATE jobs SET upstream_submitted_at = now(), callback_token_hash = @tokenHash, updated_at = now()
                WHERE id = @jobId AND lease_owner = @worker AND upstream_id IS NULL AND status = ANY(@active)
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
        await using var tx = await connection.BeginTransactionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<(string Status, string? UpstreamId)>(new CommandDefinition(
            "SELECT status, upstream_id FROM jobs WHERE id = @jobId FOR UPDATE", new { jobId }, tx, cancellationToken: ct));
        if (row.Status is null || row.UpstreamId is not null || JobStatus.IsFinal(row.Status)) return row.UpstreamId == upstreamId;
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE jobs SET upstream_id = @upstreamId, upstream_status = @upstreamStatus, updated_at = now() WHERE id = @jobId
            """, new { jobId, upstreamId, upstreamStatus }, tx, cancellationToken: ct));
        await JobStore.AddEventAsync(connection, tx, jobId, row.Status, $"Accepted upstream as {upstreamId}", ct);
        await tx.CommitAsync(ct);
        return true;
    }

    public async Task SetStatusAsync(Guid jobId, string upstreamStatus, double? progress, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE jobs SET upstream_status = @upstreamStatus, progress = coalesce(@progress, progress), updated_at = now()
            WHERE id = @jobId AND status = ANY(@active) AND upstream_status IS DISTINCT FROM @upstreamStatus
            """, new { jobId, upstreamStatus, progress = (float?)progress, active = JobStatus.Active }, cancellationToken: ct));
    }

    /// <summary>After a verified callback: the job is due at once, whether parked or in a step, and every poller wakes.</summary>
    public async Task SignalAsync(Guid jobId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            WITH signalled AS (
                UPDATE jobs SET signalled_at = now(), run_after = least(run_after, now()), poll_step = 0
                WHERE id = @jobId AND status = ANY(@active) AND provider <> 'local'
                RETURNING provider)
            SELECT pg_notify(@channel, @prefix || provider) FROM signalled
            """, new { jobId, active = JobStatus.Active, channel = Channels.Jobs, prefix = RemoteSignals.Prefix }, cancellationToken: ct));
    }
}
