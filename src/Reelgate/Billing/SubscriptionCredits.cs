using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Reelgate.Common;
using Reelgate.Credits;
using Reelgate.Data;

namespace Reelgate.Billing;

/// <summary>
/// Subscription credits roll over for <see cref="BillingOptions.RolloverMonths"/> months, then what is left of them
/// expires. Credits are taken to be spent first in, first out across every source (packs, grants, referrals,
/// subscriptions): the balance is made of the newest credits, so when a grant's window ends, the part of it still
/// in the balance is the available balance minus everything credited after it, between zero and the grant.
/// </summary>
public sealed class SubscriptionCredits(NpgsqlDataSource db, IOptions<BillingOptions> options, TimeProvider time, ILogger<SubscriptionCredits> logger)
{
    private static readonly string[] InflowKinds = [LedgerKinds.Purchase, LedgerKinds.Grant, LedgerKinds.Subscription, LedgerKinds.Referral, LedgerKinds.Adjustment];

    public Task TrackAsync(NpgsqlConnection connection, NpgsqlTransaction tx, LedgerEntry grant, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO subscription_credit_lots (ledger_entry_id, user_id, amount, expires_at)
            VALUES (@Id, @UserId, @Amount, @CreatedAt + make_interval(months => @months))
            ON CONFLICT DO NOTHING
            """, new { grant.Id, grant.UserId, grant.Amount, grant.CreatedAt, months = options.Value.RolloverMonths }, tx, cancellationToken: ct));

    /// <summary>Expires every lot whose window has ended; returns how many were processed.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var processed = 0;
        while (true)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            var due = await connection.QuerySingleOrDefaultAsync<DueLot>(new CommandDefinition("""
                SELECT ledger_entry_id, user_id, amount FROM subscription_credit_lots
                WHERE processed_at IS NULL AND expires_at <= @now ORDER BY expires_at, ledger_entry_id LIMIT 1 FOR UPDATE SKIP LOCKED
                """, new { now = time.GetUtcNow() }, tx, cancellationToken: ct));
            if (due is null) return processed;
            var expired = await ExpireAsync(connection, tx, due.LedgerEntryId, due.UserId, due.Amount, ct);
            await tx.CommitAsync(ct);
            logger.LogInformation("Subscription grant {LedgerEntryId} of user {UserId} expired with {Expired} credits unspent", due.LedgerEntryId, due.UserId, expired);
            processed++;
        }
    }

    private sealed record DueLot(Guid LedgerEntryId, Guid UserId, decimal Amount);

    private static async Task<decimal> ExpireAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid grantId, Guid userId, decimal amount, CancellationToken ct)
    {
        var available = await connection.ExecuteScalarAsync<decimal>(new CommandDefinition(
            "SELECT available FROM credit_accounts WHERE user_id = @userId FOR UPDATE", new { userId }, tx, cancellationToken: ct));
        var creditedAfter = await connection.ExecuteScalarAsync<decimal>(new CommandDefinition("""
            SELECT coalesce(sum(amount), 0) FROM credit_ledger
            WHERE user_id = @userId AND id > @grantId AND amount > 0 AND kind = ANY(@InflowKinds)
            """, new { userId, grantId, InflowKinds }, tx, cancellationToken: ct));
        var expired = Math.Clamp(available - creditedAfter, 0, amount);
        if (expired > 0)
        {
            await Ledger.ApplyAsync(connection, tx, new LedgerOperation(userId, LedgerKinds.Expiry, -expired, 0, $"expiry:{grantId}",
                Reason: "Unused subscription credits expired"), ct);
        }
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE subscription_credit_lots SET expired_amount = @expired, processed_at = now() WHERE ledger_entry_id = @grantId",
            new { expired, grantId }, tx, cancellationToken: ct));
        return expired;
    }
}

public sealed class SubscriptionCreditSweeper(
    SubscriptionCredits credits, DatabaseAvailability database, IOptions<BillingOptions> options, ILogger<SubscriptionCreditSweeper> logger)
    : PeriodicService(database, logger)
{
    protected override TimeSpan Interval => options.Value.ExpirySweepInterval;

    protected override Task RunOnceAsync(CancellationToken ct) => credits.SweepAsync(ct);
}
