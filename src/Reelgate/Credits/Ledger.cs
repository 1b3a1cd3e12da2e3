using Dapper;
using Npgsql;

namespace Reelgate.Credits;

/// <summary>
/// The credit ledger. Every change runs under a row lock on the account, is keyed by a unique operation key
/// (so repeating it changes nothing) and appends one entry carrying the balances after it.
/// </summary>
public sealed class Ledger(NpgsqlDataSource db)
{
    private const string EntryColumns =
        "id, user_id, kind, amount, held_amount, available_after, held_after, operation_key, job_id, payment_id, actor_id, reason, created_at";

    /// <summary>Applies inside the caller's transaction, so a job insert and its hold commit together.</summary>
    public static async Task<LedgerResult> ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction tx, LedgerOperation op, CancellationToken ct)
    {
        if (decimal.Round(op.Amount, 2) != op.Amount || decimal.Round(op.HeldAmount, 2) != op.HeldAmount)
        {
            throw new ArgumentException("Credit amounts have at most two decimals.", nameof(op));
        }
        var balance = await connection.QuerySingleOrDefaultAsync<Balance>(new CommandDefinition(
            "SELECT available, held FROM credit_accounts WHERE user_id = @UserId FOR UPDATE", new { op.UserId }, tx, cancellationToken: ct))
            ?? throw new InvalidOperationException($"User {op.UserId} has no credit account.");

        var existing = await connection.QuerySingleOrDefaultAsync<LedgerEntry>(new CommandDefinition(
            $"SELECT {EntryColumns} FROM credit_ledger WHERE operation_key = @OperationKey", new { op.OperationKey }, tx, cancellationToken: ct));
        if (existing is not null) return new LedgerResult.AlreadyApplied(existing);

        var available = balance.Available + op.Amount;
        var held = balance.Held + op.HeldAmount;
        if (available < 0) return new LedgerResult.Insufficient(-op.Amount, balance.Available);
        if (held < 0) throw new InvalidOperationException($"Operation {op.OperationKey} would make held credits negative.");

        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE credit_accounts SET available = @available, held = @held, updated_at = now() WHERE user_id = @UserId",
            new { available, held, op.UserId }, tx, cancellationToken: ct));
        var entry = await connection.QuerySingleAsync<LedgerEntry>(new CommandDefinition($"""
            INSERT INTO credit_ledger (id, user_id, kind, amount, held_amount, available_after, held_after, operation_key, job_id, payment_id, actor_id, reason)
            VALUES (@Id, @UserId, @Kind, @Amount, @HeldAmount, @available, @held, @OperationKey, @JobId, @PaymentId, @ActorId, @Reason)
            RETURNING {EntryColumns}
            """,
            new { Id = Guid.CreateVersion7(), op.UserId, op.Kind, op.Amount, op.HeldAmount, available, held, op.OperationKey, op.JobId, op.PaymentId, op.ActorId, op.Reason },
            tx, cancellationToken: ct));
        return new LedgerResult.Applied(entry);
    }

    public async Task<Balance?> GetBalanceAsync(Guid userId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Balance>(new CommandDefinition(
            "SELECT available, held FROM credit_accounts WHERE user_id = @userId", new { userId }, cancellationToken: ct));
    }

    /// <summary>Balance (zero without a credit account) and plan in one round trip; null for an unknown user.</summary>
    public async Task<CreditsSummary?> GetSummaryAsync(Guid userId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<CreditsSummary>(new CommandDefinition("""
            SELECT coalesce(c.available, 0) AS available, coalesce(c.held, 0) AS held, u.plan
            FROM users u LEFT JOIN credit_accounts c ON c.user_id = u.id
            WHERE u.id = @userId
            """, new { userId }, cancellationToken: ct));
    }

    /// <summary>Newest first, in the order entries were written; the cursor is the last entry id of the previous page.</summary>
    public async Task<IReadOnlyList<LedgerEntry>> ListAsync(Guid userId, int limit, Guid? before, string? kind, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<LedgerEntry>(new CommandDefinition($"""
            SELECT {EntryColumns} FROM credit_ledger
            WHERE user_id = @userId AND (@kind::text IS NULL OR kind = @kind)
              AND (@before::uuid IS NULL OR seq < (SELECT seq FROM credit_ledger WHERE id = @before AND user_id = @userId))
            ORDER BY seq DESC LIMIT @limit
            """, new { userId, before, kind, limit }, cancellationToken: ct));
        return rows.AsList();
    }
}
