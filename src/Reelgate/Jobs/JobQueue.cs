using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Reelgate.Data;
using Reelgate.Telemetry;

namespace Reelgate.Jobs;

/// <summary>The durable queue of local jobs: claims with FOR UPDATE SKIP LOCKED under a lease, renewals and retries.</summary>
public sealed class JobQueue(NpgsqlDataSource db, DatabaseAvailability database, IOptions<JobsOptions> options)
{
    public async Task<JobRecord?> ClaimAsync(Guid worker, CancellationToken ct)
    {
        var started = DateTimeOffset.UtcNow;
        await using var connection = await db.OpenConnectionAsync(ct);
        var job = await connection.QuerySingleOrDefaultAsync<JobRecord>(new CommandDefinition($"""
            UPDATE jobs SET lease_owner = @worker, lease_until = now() + @lease, attempts = attempts + 1, updated_at = now()
            WHERE id = (
                SELECT id FROM jobs
                WHERE provider = 'local' AND status IN {JobStatus.ActiveList} AND run_after <= now() AND NOT {WorkerRegistry.LeaseHolds}
                ORDER BY run_after, id
                FOR UPDATE SKIP LOCKED
                LIMIT 1)
            RETURNING {JobStore.Columns}
            """, new { worker, lease = options.Value.Lease, active = JobStatus.Active, workerTimeout = options.Value.WorkerTimeout }, cancellationToken: ct));
        if (job is not null) ReelgateTelemetry.Claimed(job.Id, job.Kind, job.Provider, started);
        return job;
    }

    /// <summary>False when the lease was lost (another worker took the job) or the job reached a final state.</summary>
    public async Task<bool> RenewAsync(Guid jobId, Guid worker, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition($"""
            UPDATE jobs SET lease_until = now() + @lease
            WHERE id = @jobId AND lease_owner = @worker AND status IN {JobStatus.ActiveList}
            """, new { jobId, worker, lease = options.Value.Lease, active = JobStatus.Active }, cancellationToken: ct)) == 1;
    }

    /// <summary>Renews a job's lease while its work runs, and cancels the work at once when the lease is lost.</summary>
    public async Task KeepLeaseAsync(Guid jobId, Guid worker, CancellationTokenSource work, ILogger logger)
    {
        var interval = options.Value.Lease / 3;
        try
        {
            while (!work.IsCancellationRequested)
            {
                await Task.Delay(interval, work.Token);
                bool renewed;
                try
                {
                    renewed = await RenewAsync(jobId, worker, work.Token);
                }
                catch (Exception ex) when (DatabaseOutage.Is(ex))
                {
                    // The lease is still ours when the database returns unless another worker took the job meanwhile: keep trying.
                    database.RecordIfOutage(ex);
                    continue;
                }
                if (!renewed) await work.CancelAsync();
            }
        }
        catch (OperationCanceledException)
        {
            // The work ended or was canceled.
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            logger.LogWarning(ex, "Lease renewal failed for job {JobId}", jobId);
        }
    }

    public async Task<bool> AdvanceAsync(Guid jobId, Guid worker, string status, string message, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var changed = await connection.ExecuteAsync(new CommandDefinition($"""
            UPDATE jobs SET status = @status, updated_at = now()
            WHERE id = @jobId AND lease_owner = @worker AND status IN {JobStatus.ActiveList}
            """, new { jobId, worker, status, active = JobStatus.Active }, tx, cancellationToken: ct));
        if (changed == 1) await JobStore.AddEventAsync(connection, tx, jobId, status, message, ct);
        await tx.CommitAsync(ct);
        return changed == 1;
    }

    public async Task ReportProgressAsync(Guid jobId, Guid worker, double progress, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition($"""
            UPDATE jobs SET progress = @progress, updated_at = now()
            WHERE id = @jobId AND lease_owner = @worker AND status IN {JobStatus.ActiveList}
            """, new { jobId, worker, progress = (float)Math.Clamp(progress, 0, 1), active = JobStatus.Active }, cancellationToken: ct));
    }

    /// <summary>Puts a job back with exponential backoff and jitter; false when it has no attempts left.</summary>
    public async Task<bool> RetryLaterAsync(JobRecord job, Guid worker, string reason, CancellationToken ct)
    {
        if (job.Attempts >= job.MaxAttempts) return false;
        var baseDelay = options.Value.RetryBaseDelay.TotalSeconds * Math.Pow(2, job.Attempts - 1);
        var delay = TimeSpan.FromSeconds(baseDelay * (0.5 + Random.Shared.NextDouble()));
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var changed = await connection.ExecuteAsync(new CommandDefinition($"""
            UPDATE jobs SET status = 'queued', progress = 0, lease_owner = NULL, lease_until = NULL, run_after = now() + @delay, updated_at = now()
            WHERE id = @Id AND lease_owner = @worker AND status IN {JobStatus.ActiveList}
            """, new { job.Id, worker, delay, active = JobStatus.Active }, tx, cancellationToken: ct));
        if (changed == 1)
        {
            await JobStore.AddEventAsync(connection, tx, job.Id, JobStatus.Queued,
                $"Attempt {job.Attempts} failed ({reason}); retrying in {delay.TotalSeconds:0} s", ct);
        }
        await tx.CommitAsync(ct);
        return true;
    }
}
