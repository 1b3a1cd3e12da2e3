using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Reelgate.Credits;
using Reelgate.Data;
using Reelgate.Storage;
using Reelgate.Shotstack;
using Reelgate.Webhooks;
using Reelgate.Telemetry;

namespace Reelgate.Jobs;

/// <summary>
/// Moves a job to a final state and settles its credits in the same transaction, exactly once: the job row is
/// locked and a job that is already final is left alone.
/// </summary>
public sealed class JobFinisher(NpgsqlDataSource db, IOptions<StorageOptions> storage)
{
    public sealed record StoredOutput(string Kind, string StorageKey, string ContentType, long Length);

    public async Task<bool> CompleteAsync(Guid jobId, Guid worker, double duration, decimal charge, IReadOnlyList<StoredOutput> outputs, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var job = await LockAsync(connection, tx, jobId, ct);
        if (job is null || JobStatus.IsFinal(job.Status) || job.LeaseOwner != worker) return false;
        foreach (var output in outputs)
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO job_outputs (job_id, kind, storage_key, content_type, length, expires_at)
                VALUES (@jobId, @Kind, @StorageKey, @ContentType, @Length, now() + @keep)
                ON CONFLICT (job_id, kind) DO UPDATE SET storage_key = excluded.storage_key, content_type = excluded.content_type,
                    length = excluded.length, expires_at = excluded.expires_at
                """, new { jobId, output.Kind, output.StorageKey, output.ContentType, output.Length, keep = storage.Value.Retention }, tx, cancellationToken: ct));
        }
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE jobs SET status = 'done', progress = 1, duration = @duration, completed_at = now(), updated_at = now(), lease_owner = NULL, lease_until = NULL
            WHERE id = @jobId
            """, new { jobId, duration }, tx, cancellationToken: ct));
        await ShotstackCallbackStore.EnqueueAsync(connection, tx, jobId, ct);
        await WebhookOutbox.EnqueueAsync(connection, tx, jobId, WebhookEvents.JobCompleted, ct);
        await NotifyAsync(connection, tx, jobId, ct);
        var settlement = await JobCredits.PlanAsync(connection, tx, job.UserId, jobId, charge, ct);
        await JobStore.AddEventAsync(connection, tx, jobId, JobStatus.Done,
            $"Done: {duration:0.##} s of output; charged {settlement.After.Charged:0.00}, released {settlement.After.Released:0.00} credits", ct);
        await SettleLastAsync(connection, tx, job.UserId, jobId, settlement, ct);
        await tx.CommitAsync(ct);
        ReelgateMetrics.JobFinished(job.Kind, job.Provider, JobStatus.Done);
        return true;
    }

    public async Task<bool> FailAsync(Guid jobId, string code, string message, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var job = await LockAsync(connection, tx, jobId, ct);
        if (job is null || JobStatus.IsFinal(job.Status)) return false;
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE jobs SET status = 'failed', error_code = @code, error_message = @message, completed_at = now(), updated_at = now(),
                lease_owner = NULL, lease_until = NULL
            WHERE id = @jobId
            """, new { jobId, code, message }, tx, cancellationToken: ct));
        await ShotstackCallbackStore.EnqueueAsync(connection, tx, jobId, ct);
        await WebhookOutbox.EnqueueAsync(connection, tx, jobId, WebhookEvents.JobFailed, ct);
        await NotifyAsync(connection, tx, jobId, ct);
        var settlement = await JobCredits.PlanAsync(connection, tx, job.UserId, jobId, 0, ct);
        await JobStore.AddEventAsync(connection, tx, jobId, JobStatus.Failed, $"Failed: {message}; released {settlement.After.Released:0.00} credits", ct);
        await SettleLastAsync(connection, tx, job.UserId, jobId, settlement, ct);
        await tx.CommitAsync(ct);
        ReelgateMetrics.JobFinished(job.Kind, job.Provider, JobStatus.Failed);
        return true;
    }

    /// <summary>Cancels the caller's job; null when it does not exist for them, false when it was already final.</summary>
    public async Task<bool?> CancelAsync(Guid jobId, Guid userId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var job = await LockAsync(connection, tx, jobId, ct);
        if (job is null || job.UserId != userId) return null;
        if (JobStatus.IsFinal(job.Status)) return false;
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE jobs SET status = 'canceled', completed_at = now(), updated_at = now(), lease_owner = NULL, lease_until = NULL WHERE id = @jobId
            """, new { jobId }, tx, cancellationToken: ct));
        await ShotstackCallbackStore.EnqueueAsync(connection, tx, jobId, ct);
        await WebhookOutbox.EnqueueAsync(connection, tx, jobId, WebhookEvents.JobCanceled, ct);
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_notify(@channel, @payload)",
            new { channel = Channels.Jobs, payload = $"cancel:{jobId}" }, tx, cancellationToken: ct));
        var settlement = await JobCredits.PlanAsync(connection, tx, userId, jobId, 0, ct);
        await JobStore.AddEventAsync(connection, tx, jobId, JobStatus.Canceled, $"Canceled; released {settlement.After.Released:0.00} credits", ct);
        await SettleLastAsync(connection, tx, userId, jobId, settlement, ct);
        await tx.CommitAsync(ct);
        ReelgateMetrics.JobFinished(job.Kind, job.Provider, JobStatus.Canceled);
        return true;
    }

    /// <summary>
    /// The account row is locked last in the transaction, in one statement for the settlement and the active-job
    /// count, so one user's many finishing jobs queue on it for as short a time as they can. The plan was read under
    /// the job's row lock, which no other settlement of the job can pass.
    /// </summary>
    private static async Task SettleLastAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid userId, Guid jobId, SettlementPlan plan, CancellationToken ct)
    {
        using var step = ReelgateTelemetry.Step("settle", jobId);
        try
        {
            await JobCredits.ApplyAsync(connection, tx, userId, jobId, plan, endsJobs: 1, ct);
            ReelgateMetrics.Settled(plan.Capture, plan.Release);
        }
        catch (Exception ex) when (step.Failed(ex))
        {
            throw;
        }
    }

    private static Task NotifyAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid jobId, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition("SELECT pg_notify(@channel, @payload)",
            new { channel = Channels.Jobs, payload = $"final:{jobId}" }, tx, cancellationToken: ct));

    private static Task<LockedJob?> LockAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid jobId, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<LockedJob>(new CommandDefinition(
            "SELECT user_id, status, lease_owner, kind, provider FROM jobs WHERE id = @jobId FOR UPDATE", new { jobId }, tx, cancellationToken: ct));

    private sealed record LockedJob(Guid UserId, string Status, Guid? LeaseOwner, string Kind, string Provider);
}
