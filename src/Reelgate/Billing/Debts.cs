using Dapper;
using Npgsql;
using Reelgate.Credits;

namespace Reelgate.Billing;

/// <summary>
/// Credits a refund could not take back because they were spent. A debt is paid from the account's available
/// credits as soon as there are any; while any remains, new jobs are refused.
/// </summary>
public static class Debts
{
    public static Task<decimal> OutstandingAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid userId, CancellationToken ct) =>
        connection.ExecuteScalarAsync<decimal>(new CommandDefinition(
            "SELECT coalesce(sum(remaining), 0) FROM billing_debts WHERE user_id = @userId AND remaining > 0", new { userId }, tx, cancellationToken: ct));

    /// <summary>True while a debt remains after paying what the available balance allows (in the caller's transaction).</summary>
    public static async Task<bool> HasOutstandingAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid userId, CancellationToken ct) =>
        await SettleAsync(connection, tx, userId, ct) > 0;

    public static Task RecordAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid userId, Guid paymentId, decimal amount, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO billing_debts (id, user_id, payment_id, amount, remaining) VALUES (@id, @userId, @paymentId, @amount, @amount)
            """, new { id = Guid.CreateVersion7(), userId, paymentId, amount }, tx, cancellationToken: ct));

    /// <summary>Pays the oldest debts first from available credits; returns what is still owed.</summary>
    public static async Task<decimal> SettleAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid userId, CancellationToken ct)
    {
        if (await OutstandingAsync(connection, tx, userId, ct) == 0) return 0;
        // The account is locked before the debts, in the same order as every ledger change, so the two cannot deadlock.
        var available = await connection.ExecuteScalarAsync<decimal>(new CommandDefinition(
            "SELECT available FROM credit_accounts WHERE user_id = @userId FOR UPDATE", new { userId }, tx, cancellationToken: ct));
        var debts = (await connection.QueryAsync<(Guid Id, Guid PaymentId, decimal Remaining)>(new CommandDefinition("""
            SELECT id, payment_id, remaining FROM billing_debts WHERE user_id = @userId AND remaining > 0 ORDER BY created_at, id FOR UPDATE
            """, new { userId }, tx, cancellationToken: ct))).AsList();
        var owed = 0m;
        foreach (var debt in debts)
        {
            var pay = Math.Min(available, debt.Remaining);
            if (pay > 0)
            {
                // The remaining amount before paying makes the key unique: it only ever goes down.
                await Ledger.ApplyAsync(connection, tx, new LedgerOperation(userId, LedgerKinds.Refund, -pay, 0,
                    $"debt:{debt.Id}:{debt.Remaining.ToString(System.Globalization.CultureInfo.InvariantCulture)}", PaymentId: debt.PaymentId,
                    Reason: "Refunded payment: spent credits paid back"), ct);
                await connection.ExecuteAsync(new CommandDefinition("""
                    UPDATE billing_debts SET remaining = remaining - @pay, settled_at = CASE WHEN remaining - @pay = 0 THEN now() END WHERE id = @Id
                    """, new { pay, debt.Id }, tx, cancellationToken: ct));
                available -= pay;
            }
            owed += debt.Remaining - pay;
        }
        return owed;
    }
}
