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

    /// <summary>Charges <paramref name="charge"/> (at most what is held for the job) and releases the rest.</summary>
    public static async Task<Settlement> SettleAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid userId, Guid jobId, decimal charge, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT 1 FROM credit_accounts WHERE user_id = @userId FOR UPDATE", new { userId }, tx, cancellationToken: ct));
        var stillHeld = await connection.ExecuteScalarAsync<decimal>(new CommandDefinition(
            "SELECT coalesce(sum(held_amount), 0) FROM credit_ledger WHERE job_id = @jobId AND user_id = @userId",
            new { jobId, userId }, tx, cancellationToken: ct));
        var captured = Math.Min(Math.Max(charge, 0), stillHeld);
        var released = stillHeld - captured;
        if (captured > 0)
        {
            await Ledger.ApplyAsync(connection, tx, new LedgerOperation(userId, LedgerKinds.Capture, 0, -captured, $"job:{jobId}:capture", jobId), ct);
        }
        if (released > 0)
        {
            await Ledger.ApplyAsync(connection, tx, new LedgerOperation(userId, LedgerKinds.Release, released, -released, $"job:{jobId}:release", jobId), ct);
        }
        return await SummaryAsync(connection, tx, jobId, ct);
    }

    public async Task<Settlement> SettleAsync(Guid userId, Guid jobId, decimal charge, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var settlement = await SettleAsync(connection, tx, userId, jobId, charge, ct);
        await tx.CommitAsync(ct);
        return settlement;
    }

    public static async Task<Settlement> SummaryAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, Guid jobId, CancellationToken ct) =>
        await connection.QuerySingleAsync<Settlement>(new CommandDefinition("""
            SELECT coalesce(sum(held_amount) FILTER (WHERE kind = 'hold'), 0) AS held,
                   coalesce(-sum(held_amount) FILTER (WHERE kind = 'capture'), 0) AS charged,
                   coalesce(sum(amount) FILTER (WHERE kind = 'release'), 0) AS released
            FROM credit_ledger WHERE job_id = @jobId
            """, new { jobId }, tx, cancellationToken: ct));

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
