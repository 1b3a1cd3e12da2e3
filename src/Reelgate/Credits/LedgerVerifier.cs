using Dapper;
using Npgsql;

namespace Reelgate.Credits;

/// <summary>Checks, per account, that the ledger sums to the balances and that the last entry agrees with them.</summary>
public sealed class LedgerVerifier(NpgsqlDataSource db)
{
    public async Task<LedgerReport> VerifyAsync(CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        var rows = (await connection.QueryAsync<AccountCheck>(new CommandDefinition("""
            SELECT a.user_id, a.available, a.held,
                   coalesce(s.sum_amount, 0) AS ledger_available, coalesce(s.sum_held, 0) AS ledger_held,
                   last.available_after AS last_available, last.held_after AS last_held
            FROM credit_accounts a
            LEFT JOIN (SELECT user_id, sum(amount) AS sum_amount, sum(held_amount) AS sum_held FROM credit_ledger GROUP BY user_id) s
                ON s.user_id = a.user_id
            LEFT JOIN LATERAL (SELECT available_after, held_after FROM credit_ledger l WHERE l.user_id = a.user_id ORDER BY seq DESC LIMIT 1) last ON true
            """, transaction: tx, cancellationToken: ct))).AsList();
        await tx.CommitAsync(ct);
        var problems = rows.Select(Describe).OfType<LedgerProblem>().ToList();
        return new LedgerReport(problems.Count == 0, rows.Count, problems);
    }

    private static LedgerProblem? Describe(AccountCheck row)
    {
        if (row.Available < 0 || row.Held < 0) return new LedgerProblem(row.UserId, "negative balance");
        if (row.LedgerAvailable != row.Available || row.LedgerHeld != row.Held)
            return new LedgerProblem(row.UserId, $"ledger sums to {row.LedgerAvailable}/{row.LedgerHeld}, account holds {row.Available}/{row.Held}");
        if (row.LastAvailable is { } a && (a != row.Available || row.LastHeld != row.Held))
            return new LedgerProblem(row.UserId, "last entry's balances differ from the account");
        return null;
    }

    private sealed record AccountCheck(Guid UserId, decimal Available, decimal Held, decimal LedgerAvailable, decimal LedgerHeld, decimal? LastAvailable, decimal? LastHeld);
}

public sealed record LedgerProblem(Guid UserId, string Problem);

public sealed record LedgerReport(bool Ok, int Accounts, IReadOnlyList<LedgerProblem> Problems);
