using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Reelgate.Common;
using Reelgate.Data;

namespace Reelgate.Storage;

/// <summary>
/// Deletes stored outputs whose retention has ended and marks them on the job, and uploads past retention. The work list lives in
/// job_outputs, so a restart simply picks up where the last sweep stopped.
/// </summary>
public sealed class RetentionSweeper(
    NpgsqlDataSource db, IObjectStore store, DatabaseAvailability database, IOptions<StorageOptions> options, ILogger<RetentionSweeper> logger)
    : PeriodicService(database, logger)
{
    private sealed record DueOutput(Guid JobId, string Kind, string StorageKey);

    protected override TimeSpan Interval => options.Value.SweepInterval;

    protected override async Task RunOnceAsync(CancellationToken ct)
    {
        while (await SweepOnceAsync(100, ct) > 0) { }
        while (await SweepUploadsAsync(100, ct) > 0) { }
    }

    /// <summary>Deletes uploaded images past retention that no running job still needs.</summary>
    public async Task<int> SweepUploadsAsync(int batch, CancellationToken ct)
    {
        if (options.Value.Retention is not { } retention) return 0;
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var due = (await connection.QueryAsync<DueUpload>(new CommandDefinition("""
            SELECT u.id, u.storage_key FROM uploads u
            WHERE u.created_at <= now() - @retention
              AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.user_id = u.user_id AND j.kind = 'generation'
                              AND j.status IN ('queued', 'fetching', 'rendering', 'saving') AND j.request ->> 'imageKey' = u.storage_key)
            ORDER BY u.created_at LIMIT @batch FOR UPDATE OF u SKIP LOCKED
            """, new { retention, batch }, tx, cancellationToken: ct))).AsList();
        foreach (var upload in due)
        {
            await store.DeleteAsync(upload.StorageKey, ct);
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM uploads WHERE id = @Id", upload, tx, cancellationToken: ct));
        }
        await tx.CommitAsync(ct);
        if (due.Count > 0) logger.LogInformation("Deleted {Count} uploads past retention", due.Count);
        return due.Count;
    }

    private sealed record DueUpload(Guid Id, string StorageKey);

    public async Task<int> SweepOnceAsync(int batch, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var due = (await connection.QueryAsync<DueOutput>(new CommandDefinition("""
            SELECT job_id, kind, storage_key FROM job_outputs
            WHERE deleted_at IS NULL AND expires_at <= now()
            ORDER BY expires_at LIMIT @batch FOR UPDATE SKIP LOCKED
            """, new { batch }, tx, cancellationToken: ct))).AsList();
        foreach (var output in due)
        {
            await store.DeleteAsync(output.StorageKey, ct);
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE job_outputs SET deleted_at = now() WHERE job_id = @JobId AND kind = @Kind", output, tx, cancellationToken: ct));
        }
        foreach (var jobId in due.Select(o => o.JobId).Distinct())
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                UPDATE jobs SET outputs_expired_at = now()
                WHERE id = @jobId AND outputs_expired_at IS NULL
                  AND NOT EXISTS (SELECT 1 FROM job_outputs WHERE job_id = @jobId AND deleted_at IS NULL)
                """, new { jobId }, tx, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO job_events (job_id, status, message) VALUES (@jobId, 'done', 'Stored outputs deleted: retention ended')",
                new { jobId }, tx, cancellationToken: ct));
        }
        await tx.CommitAsync(ct);
        if (due.Count > 0) logger.LogInformation("Deleted {Count} stored outputs past retention", due.Count);
        return due.Count;
    }
}
