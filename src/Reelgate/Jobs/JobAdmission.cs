using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Reelgate.Billing;
using Reelgate.Common;
using Reelgate.Credits;
using Reelgate.Data;
using Reelgate.Telemetry;

namespace Reelgate.Jobs;

/// <summary>
/// What every new job goes through: the quote held, the per-user active-job limit, the insert and the wake-up, in one
/// statement, so the account row is locked only while the server runs it. The active-job count is a counter kept
/// beside the hold under that row lock. One user's submissions that arrive while one of theirs is being admitted wait
/// in that user's lane and are admitted together, in one statement and one commit (<see cref="BatchAdmission"/>), so a
/// burst from one user does not queue backends on the account row, each waiting for the commit before it.
/// An account with refund debts takes the slower path: the debts are settled or block the job.
/// </summary>
public sealed class JobAdmission(NpgsqlDataSource db)
{
    private readonly AdmissionLanes _lanes = new();

    private const string AdmitSql = """
        WITH account AS (
            UPDATE credit_accounts SET available = available - $3, held = held + $3, active_jobs = active_jobs + 1, updated_at = now()
            WHERE user_id = $2 AND available >= $3 AND active_jobs < $10
              AND NOT EXISTS (SELECT 1 FROM billing_debts WHERE user_id = $2 AND remaining > 0)
            RETURNING available, held),
        entry AS (
            INSERT INTO credit_ledger (id, user_id, kind, amount, held_amount, available_after, held_after, operation_key, job_id)
            SELECT $11, $2, 'hold', -$3, $3, available, held, 'job:' || $1::text || ':hold', $1 FROM account
            RETURNING 1),
        job AS (
            INSERT INTO jobs (id, user_id, kind, status, provider, request, quote, max_attempts, callback_url)
            SELECT $1, $2, $4, 'queued', $5, $6::jsonb, $3, $7, $8 FROM account
            RETURNING id),
        event AS (
            INSERT INTO job_events (job_id, status, message) SELECT id, 'queued', 'Job queued' FROM job RETURNING 1),
        wake AS (
            SELECT pg_notify($12, $9) FROM job)
        SELECT (SELECT count(*) FROM account) = 1 AS admitted, (SELECT count(*) FROM entry) + (SELECT count(*) FROM event) + (SELECT count(*) FROM wake) AS written,
               coalesce(c.available, 0) AS available, coalesce(c.active_jobs, 0) AS active_jobs,
               EXISTS (SELECT 1 FROM billing_debts WHERE user_id = $2 AND remaining > 0) AS in_debt
        FROM (SELECT 1) one LEFT JOIN credit_accounts c ON c.user_id = $2
        """;

    /// <param name="alongside">Commands that must commit with the job (each guarded so it writes nothing when the job was refused).</param>
    public async Task<SubmitResult> QueueAsync(JobRecord job, int maxActive, CancellationToken ct, params NpgsqlBatchCommand[] alongside)
    {
        var pending = new AdmissionLanes.Pending(job, maxActive, alongside, ct);
        if (_lanes.Enter(pending)) _ = Task.Run(() => DrainAsync(job.UserId));
        // The caller waits for its batch even when its request is aborted meanwhile: the job may be admitted by then.
        return await pending.Result.Task;
    }

    /// <summary>Admits a lane's waiting submissions batch by batch until it is empty; one drain runs per lane at a time.</summary>
    private async Task DrainAsync(Guid userId)
    {
        while (_lanes.Next(userId) is { Count: > 0 } batch)
        {
            IReadOnlySet<Guid> admitted;
            try
            {
                admitted = batch.Count == 1 ? new HashSet<Guid>() : await BatchAdmission.AdmitAsync(db, batch, CancellationToken.None);
            }
            catch (Exception ex)
            {
                foreach (var pending in batch) pending.Result.TrySetException(ex);
                continue;
            }
            foreach (var pending in batch)
            {
                if (admitted.Contains(pending.Job.Id))
                {
                    pending.Result.TrySetResult(new SubmitResult.Accepted(pending.Job.Id, pending.Job.Quote));
                    continue;
                }
                // One alone, or one the batch could not take (credits, the active-job limit, debts), is admitted on its own, exactly.
                try
                {
                    pending.Canceled.ThrowIfCancellationRequested();
                    pending.Result.TrySetResult(await QueueOneAsync(pending.Job, pending.MaxActive, pending.Alongside, pending.Canceled));
                }
                catch (Exception ex)
                {
                    pending.Result.TrySetException(ex);
                }
            }
        }
    }

    private async Task<SubmitResult> QueueOneAsync(JobRecord job, int maxActive, NpgsqlBatchCommand[] alongside, CancellationToken ct)
    {
        using var step = ReelgateTelemetry.Step("submit", job.Id, job.Kind, job.Provider);
        try
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            var outcome = await AdmitAsync(connection, null, job, maxActive, alongside, ct);
            if (outcome.InDebt && !outcome.Admitted)
            {
                await using var tx = await connection.BeginTransactionAsync(ct);
                // Credits a refund could not take back are paid from the balance first; what stays owed blocks new jobs.
                if (await Debts.SettleAsync(connection, tx, job.UserId, ct) is > 0 and var owed) return new SubmitResult.OutstandingBalance(owed);
                outcome = await AdmitAsync(connection, tx, job, maxActive, alongside, ct);
                if (outcome.Admitted) await tx.CommitAsync(ct);
            }
            if (!outcome.Admitted && outcome.Available >= job.Quote && outcome.ActiveJobs < maxActive)
            {
                // The statement's snapshot predates a concurrent submission that took the last credits or the last slot.
                outcome = await connection.QuerySingleAsync<Outcome>(new CommandDefinition("""
                    SELECT false AS admitted, available, active_jobs, false AS in_debt FROM credit_accounts WHERE user_id = @UserId
                    """, new { job.UserId }, cancellationToken: ct));
            }
            if (outcome.Admitted) ReelgateMetrics.Held(job.Quote);
            return Answer(job, maxActive, outcome);
        }
        catch (Exception ex) when (step.Failed(ex))
        {
            throw;
        }
    }

    private sealed record Outcome(bool Admitted, decimal Available, int ActiveJobs, bool InDebt);


    private static async Task<Outcome> AdmitAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, JobRecord job, int maxActive,
        NpgsqlBatchCommand[] alongside, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection, tx);
        batch.BatchCommands.Add(GenericPlans.First());
        var admit = new NpgsqlBatchCommand(AdmitSql);
        admit.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = job.Id });
        admit.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = job.UserId });
        admit.Parameters.Add(new NpgsqlParameter<decimal> { TypedValue = job.Quote });
        admit.Parameters.Add(new NpgsqlParameter<string> { TypedValue = job.Kind });
        admit.Parameters.Add(new NpgsqlParameter<string> { TypedValue = job.Provider });
        admit.Parameters.Add(new NpgsqlParameter<string> { TypedValue = job.Request });
        admit.Parameters.Add(new NpgsqlParameter<int> { TypedValue = job.MaxAttempts });
        admit.Parameters.Add(new NpgsqlParameter { Value = (object?)job.CallbackUrl ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        admit.Parameters.Add(new NpgsqlParameter<string> { TypedValue = WakeUp(job) });
        admit.Parameters.Add(new NpgsqlParameter<int> { TypedValue = maxActive });
        admit.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = Guid.CreateVersion7() });
        admit.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Channels.Jobs });
        batch.BatchCommands.Add(admit);
        foreach (var command in alongside) batch.BatchCommands.Add(command);
        await using var reader = await batch.ExecuteReaderAsync(ct);
        await reader.NextResultAsync(ct);
        await reader.ReadAsync(ct);
        var outcome = new Outcome(reader.GetBoolean(0), reader.GetDecimal(2), reader.GetInt32(3), reader.GetBoolean(4));
        while (await reader.NextResultAsync(ct))
        {
            // The guarded commands return nothing; reading on lets the batch finish before the connection returns to the pool.
        }
        return outcome;
    }

    /// <summary>Local workers wake on the job id; remote jobs wake the poller of their provider.</summary>
    public static string WakeUp(JobRecord job) => job.Provider == "local" ? job.Id.ToString() : $"{RemoteSignals.Prefix}{job.Provider}";

    private static SubmitResult Answer(JobRecord job, int maxActive, Outcome outcome) => outcome switch
    {
        { Admitted: true } => new SubmitResult.Accepted(job.Id, job.Quote),
        _ when outcome.Available < job.Quote => new SubmitResult.InsufficientCredits(job.Quote, outcome.Available),
        _ => new SubmitResult.TooManyActiveJobs(maxActive),
    };

    /// <summary>The API answer for a submission, shared by render and generate.</summary>
    public static Results<Accepted<JobsEndpoints.Queued>, ValidationProblem, ProblemHttpResult> ToHttp(SubmitResult result) => result switch
    {
        SubmitResult.Accepted a => TypedResults.Accepted($"/api/v1/job/{a.JobId}",
            new JobsEndpoints.Queued(a.JobId, JobStatus.Queued, new JobsEndpoints.QueuedCredits(a.Held))),
        SubmitResult.Invalid i => Problems.Validation(i.Errors),
        SubmitResult.InsufficientCredits c => Problems.InsufficientCredits(c.Required, c.Available),
        SubmitResult.TooManyActiveJobs t => Problems.Create(StatusCodes.Status429TooManyRequests, "too-many-active-jobs", "Too many active jobs.",
            $"At most {t.Limit} jobs may be queued or running at once; wait for one to finish."),
        SubmitResult.OutstandingBalance o => Problems.Create(StatusCodes.Status402PaymentRequired, "outstanding-balance", "Outstanding balance.",
            $"A refunded payment left {o.Owed:0.00} credits owed; add credits to settle it before starting new jobs.",
            new Dictionary<string, object?> { ["owed"] = o.Owed }),
        _ => throw new InvalidOperationException($"Unexpected submit result {result}"),
    };
}
