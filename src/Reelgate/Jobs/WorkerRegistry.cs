using Dapper;
using Npgsql;

namespace Reelgate.Jobs;

/// <summary>
/// The worker processes alive now. Each beats every <see cref="JobsOptions.HeartbeatInterval"/>; one silent for
/// <see cref="JobsOptions.WorkerTimeout"/> is dead, and the queue hands its jobs to others without waiting for their
/// leases. A worker that stops cleanly gives its jobs back and leaves at once.
/// </summary>
public sealed class WorkerRegistry(NpgsqlDataSource db)
{
    /// <summary>The NOTIFY payload sent when a stopping worker hands jobs back.</summary>
    public const string Released = "released";

    public async Task BeatAsync(Guid worker, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO job_workers (id, host, pid) VALUES (@worker, @host, @pid)
            ON CONFLICT (id) DO UPDATE SET seen_at = now();
            DELETE FROM job_workers WHERE seen_at < now() - interval '1 day';
            """, new { worker, host = Environment.MachineName, pid = Environment.ProcessId }, cancellationToken: ct));
    }

    /// <summary>Releases the worker's leases without spending their attempts, wakes the other workers, and leaves.</summary>
    public async Task<int> LeaveAsync(Guid worker, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var released = await connection.ExecuteAsync(new CommandDefinition($"""
            UPDATE jobs SET lease_owner = NULL, lease_until = NULL, attempts = greatest(attempts - 1, 0), updated_at = now()
            WHERE lease_owner = @worker AND status IN {JobStatus.ActiveList}
            """, new { worker, active = JobStatus.Active }, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM job_workers WHERE id = @worker", new { worker }, tx, cancellationToken: ct));
        if (released > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_notify(@channel, @payload)",
                new { channel = Data.Channels.Jobs, payload = Released }, tx, cancellationToken: ct));
        }
        await tx.CommitAsync(ct);
        return released;
    }

    /// <summary>The SQL condition, over a row of jobs, that its lease still holds.</summary>
    public static string LeaseHolds => """
        (lease_until IS NOT NULL AND lease_until > now() AND NOT EXISTS (
            SELECT 1 FROM job_workers w WHERE w.id = jobs.lease_owner AND w.seen_at < now() - @workerTimeout))
        """;
}
