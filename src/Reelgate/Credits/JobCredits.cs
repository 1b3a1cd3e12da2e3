using Dapper;
using Npgsql;

namespace Reelgate.Credits;

/// <summary>Hold, capture and release for one job, each at most once (operation keys job:{id}:{kind}).</summary>
public sealed class JobCredits(NpgsqlDataSource db)
{
    public static Task<LedgerResult> HoldAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid userId, Guid jobId, decimal amount, CancellationToken ct) =>
        Ledger.ApplyAsync(connection, tx, new LedgerOperation(userId, LedgerKinds.Hold, -amount, amount, $"job:{jobId}:hold", jobId), ct);

    public async Task<LedgerResult> HoldAsync(Guid userId, Guid jobId, decimal amount, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var result = await HoldAsync(connection, tx, userId, jobId, amount, ct);
        await tx.CommitAsync(ct);
        return result;
    }

    /// <summary>
    /// What settling the job will capture and release: the charge (at most what is still held for it) and the rest.
    /// Read before the account is locked, which is safe only while no other settlement of the job can run: under the
    /// job's row lock (as <c>JobFinisher</c> holds it) or after the account lock.
    /// </summary>
    public static async Task<SettlementPlan> PlanAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid userId, Guid jobId, decimal charge, CancellationToken ct)
    {
        var so = await connection.QuerySingleAsync<(decimal Held, decimal Still, decimal Charged, decimal Released)>(new CommandDefinition("""
            SELECT coalesce(sum(held_amount) FILTER (WHERE kind = 'hold'), 0) AS held, coalesce(sum(held_amount), 0) AS still,
                   coalesce(-sum(held_amount) FILTER (WHERE kind = 'capture'), 0) AS charged,
                   coalesce(sum(amount) FILTER (WHERE kind = 'release'), 0) AS released
            FROM credit_ledger WHERE job_id = @jobId AND user_id = @userId
            """, new { jobId, userId }, tx, cancellationToken: ct));
        var capture = Math.Min(Math.Max(charge, 0), so.Still);
        if (decimal.Round(capture, 2) != capture) throw new ArgumentException("Credit amounts have at most two decimals.", nameof(charge));
        var release = so.Still - capture;
        return new SettlementPlan(capture, release, new Settlement(so.Held, so.Charged + capture, so.Released + release));
    }

    /// <summary>
    /// Applies a plan in one statement: the account row (locked here, last in the caller's transaction, so one user's
    /// finishing jobs queue on it only for this statement and the commit), and the capture and release entries, in
    /// that order, each carrying the balances after it. <paramref name="endsJobs"/> comes off the active-job count.
    /// </summary>
    public static async Task ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid userId, Guid jobId, SettlementPlan plan, int endsJobs,
        CancellationToken ct)
    {
        if (plan.Capture == 0 && plan.Release == 0 && endsJobs == 0) return;
        await connection.ExecuteAsync(new CommandDefinition("""
            WITH account AS (
                UPDATE credit_accounts SET available = available + @release, held = held - @capture - @release,
                    active_jobs = active_jobs - @endsJobs, updated_at = now()
                WHERE user_id = @userId
                RETURNING available, held)
            INSERT INTO credit_ledger (id, user_id, kind, amount, held_amount, available_after, held_after, operation_key, job_id)
            SELECT e.id, @userId, e.kind, e.amount, e.held_amount, e.available_after, e.held_after, e.operation_key, @jobId
            FROM account, LATERAL (VALUES
                (1, @captureId, 'capture', 0::numeric, -@capture, account.available - @release, account.held + @release, 'job:' || @jobId::text || ':capture'),
                (2, @releaseId, 'release', @release, -@release, account.available, account.held, 'job:' || @jobId::text || ':release'))
                AS e(n, id, kind, amount, held_amount, available_after, held_after, operation_key)
            WHERE (e.n = 1 AND @capture > 0) OR (e.n = 2 AND @release > 0)
            ORDER BY e.n
            """, new { userId, jobId, capture = plan.Capture, release = plan.Release, endsJobs, captureId = Guid.CreateVersion7(), releaseId = Guid.CreateVersion7() },
            tx, cancellationToken: ct));
    }

    /// <summary>Charges <paramref name="charge"/> (at most what is held for the job) and releases the rest, at most once however often it is called.</summary>
    public async Task<Settlement> SettleAsync(Guid userId, Guid jobId, decimal charge, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        // Locked first here, so the plan's read comes after any settlement that ran before.
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT 1 FROM credit_accounts WHERE user_id = @userId FOR UPDATE", new { userId }, tx, cancellationToken: ct));
        var plan = await PlanAsync(connection, tx, userId, jobId, charge, ct);
        await ApplyAsync(connection, tx, userId, jobId, plan, 0, ct);
        await tx.CommitAsync(ct);
        return plan.After;
    }

    /// <summary>Held, charged and released per job for many jobs in one query; jobs without entries are absent.</summary>
    public static async Task<Dictionary<Guid, Settlement>> SummariesAsync(NpgsqlConnection connection, IReadOnlyCollection<Guid> jobIds, CancellationToken ct) =>
        (await connection.QueryAsync<(Guid JobId, decimal Held, decimal Charged, decimal Released)>(new CommandDefinition("""
            SELECT job_id,
                   coalesce(sum(held_amount) FILTER (WHERE kind = 'hold'), 0) AS held,
                   coalesce(-sum(held_amount) FILTER (WHERE kind = 'capture'), 0) AS charged,
                   coalesce(sum(amount) FILTER (WHERE kind = 'release'), 0) AS released
            FROM credit_ledger WHERE job_id = ANY(@jobIds) GROUP BY job_id
            """, new { jobIds = jobIds.ToArray() }, cancellationToken: ct)))
        .ToDictionary(row => row.JobId, row => new Settlement(row.Held, row.Charged, row.Released));
}

public sealed record Settlement(decimal Held, decimal Charged, decimal Released);

/// <summary>What a settlement captures and releases now, and the job's totals after it.</summary>
public sealed record SettlementPlan(decimal Capture, decimal Release, Settlement After);
