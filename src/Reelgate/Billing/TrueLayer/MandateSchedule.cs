using Dapper;
using Npgsql;

namespace Reelgate.Billing.TrueLayer;

public sealed record MandateRecord(string Id, Guid UserId, string Plan, Guid PaymentId, string Currency, long AmountMinor, string Status,
    int Period, int Attempt, DateTime? AnchorAt, DateTime? DueAt, bool RevokeNeeded, string? FailureReason, DateTime? RevokedAt);

/// <summary>
/// The state of a plan paid by bank, moved only forwards and in the caller's transaction. Month n is due n-1 months
/// after the mandate was authorised. Retry policy for a failed monthly payment: it is tried again 3 days later, and
/// once more 4 days after that (3 tries over 7 days); when the third try fails the plan ends at once and the mandate
/// is revoked. The user is told of every failed try by the <c>subscription.payment_failed</c> webhook and on the
/// billing page. A revoked mandate ends the plan when the last paid month ends.
/// </summary>
public sealed class MandateSchedule(PaymentFulfilment fulfilment, BillingCatalog catalog, SubscriptionNotices notices, TimeProvider time, ILogger<MandateSchedule> logger)
{
    public const int MaxAttempts = 3;
    public static readonly TimeSpan[] RetryDelays = [TimeSpan.FromDays(3), TimeSpan.FromDays(4)];

    public static Task<MandateRecord?> LockAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string id, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<MandateRecord>(new CommandDefinition("""
            SELECT id, user_id, plan, payment_id, currency, amount_minor, status, period, attempt, anchor_at, due_at, revoke_needed, failure_reason, revoked_at
            FROM truelayer_mandates WHERE id = @id FOR UPDATE
            """, new { id }, tx, cancellationToken: ct));

    /// <summary>The user authorised the mandate: the first month is due now.</summary>
    public Task AuthorizedAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string id, DateTimeOffset authorizedAt, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition("""
            UPDATE truelayer_mandates SET status = 'authorized', anchor_at = @authorizedAt, due_at = @now
            WHERE id = @id AND status = 'authorization_required'
            """, new { id, authorizedAt, now = time.GetUtcNow() }, tx, cancellationToken: ct));

    /// <summary>The mandate was never authorised: the plan purchase fails with TrueLayer's reason.</summary>
    public async Task MandateFailedAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string id, string? reason, CancellationToken ct)
    {
        var paymentId = await connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition("""
            UPDATE truelayer_mandates SET status = 'failed', failure_reason = @reason, due_at = NULL
            WHERE id = @id AND status = 'authorization_required' RETURNING payment_id
            """, new { id, reason }, tx, cancellationToken: ct));
        if (paymentId is null) return;
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE payments SET status = 'failed', failure_reason = coalesce(@reason, 'unknown') WHERE id = @paymentId AND status = 'pending'
            """, new { paymentId, reason }, tx, cancellationToken: ct));
    }

    /// <summary>Revoked by the user, the bank or us: no more payments; the plan ends when the last paid month does.</summary>
    public async Task RevokedAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string id, DateTimeOffset revokedAt, CancellationToken ct)
    {
        if (await LockAsync(connection, tx, id, ct) is not { Status: "authorization_required" or "authorized" or "ending" } mandate) return;
        var paidThrough = mandate.AnchorAt is { } anchor && mandate.Period > 1 ? Utc(anchor).AddMonths(mandate.Period - 1) : (DateTimeOffset?)null;
        if (paidThrough is { } end && end > time.GetUtcNow())
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                UPDATE truelayer_mandates SET status = 'revoked', revoked_at = @revokedAt, revoke_needed = false, due_at = @end WHERE id = @id
                """, new { id, revokedAt, end }, tx, cancellationToken: ct));
            logger.LogInformation("Mandate {MandateId} revoked; plan {Plan} of user {UserId} ends {End}", id, mandate.Plan, mandate.UserId, end);
            return;
        }
        await EndPlanAsync(connection, tx, mandate, time.GetUtcNow(), revokeNeeded: false, ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE truelayer_mandates SET revoked_at = @revokedAt WHERE id = @id", new { id, revokedAt }, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE payments SET status = 'failed', failure_reason = 'mandate_revoked' WHERE id = @PaymentId AND status = 'pending' AND truelayer_payment_id IS NULL
            """, mandate, tx, cancellationToken: ct));
    }

    /// <summary>A monthly payment settled: its month's credits are granted once, and the next month becomes due.</summary>
    public async Task SettledAsync(NpgsqlConnection connection, NpgsqlTransaction tx, PaymentRecord payment, CancellationToken ct)
    {
        if (await LockAsync(connection, tx, payment.MandateId!, ct) is not { } mandate) return;
        if (catalog.FindPlan(mandate.Plan) is not { } plan)
        {
            logger.LogError("Monthly payment {PaymentId} settled for plan {Plan}, which is no longer in the catalogue; no credits granted", payment.Id, mandate.Plan);
            return;
        }
        await fulfilment.PayInvoiceAsync(connection, tx, new PaidInvoice($"truelayer:{mandate.Id}:{payment.Period}", mandate.Id, mandate.UserId, plan,
            payment.Id, payment.Amount, payment.Currency, null, Utc(payment.CreatedAt), BillingOptions.TrueLayer), ct);
        if (mandate is { Status: "authorized", AnchorAt: { } anchor } && payment.Period == mandate.Period)
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                UPDATE truelayer_mandates SET period = period + 1, attempt = 1, failure_reason = NULL, due_at = @next WHERE id = @Id
                """, new { mandate.Id, next = Utc(anchor).AddMonths(mandate.Period) }, tx, cancellationToken: ct));
        }
    }

    /// <summary>A monthly payment failed: tried again under the retry policy, or, after the last try, the plan ends.</summary>
    public async Task FailedAsync(NpgsqlConnection connection, NpgsqlTransaction tx, PaymentRecord payment, string reason, CancellationToken ct)
    {
        if (await LockAsync(connection, tx, payment.MandateId!, ct) is not { Status: "authorized" } mandate
            || payment.Period != mandate.Period || payment.Attempt != mandate.Attempt)
        {
            return;
        }
        var now = time.GetUtcNow();
        DateTimeOffset? retryAt = mandate.Attempt < MaxAttempts ? now + RetryDelays[mandate.Attempt - 1] : null;
        if (retryAt is { } at)
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                UPDATE truelayer_mandates SET attempt = attempt + 1, failure_reason = @reason, due_at = @at WHERE id = @Id
                """, new { mandate.Id, reason, at }, tx, cancellationToken: ct));
        }
        else
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE truelayer_mandates SET failure_reason = @reason WHERE id = @Id", new { mandate.Id, reason }, tx, cancellationToken: ct));
            await EndPlanAsync(connection, tx, mandate, now, revokeNeeded: true, ct);
        }
        logger.LogWarning("Monthly payment {PaymentId} of mandate {MandateId} (month {Period}, try {Attempt}) failed: {FailureReason}; {Next}",
            payment.Id, mandate.Id, mandate.Period, mandate.Attempt, reason, retryAt is null ? "the plan has ended" : $"retry at {retryAt:O}");
        await notices.PaymentFailedAsync(connection, tx, new PaymentFailedNotice(mandate.UserId, mandate.Plan, payment.Id, mandate.Period, mandate.Attempt,
            MaxAttempts, reason, retryAt?.UtcDateTime, retryAt is null), ct);
    }

    /// <summary>Ends the plan now; the scheduler revokes the mandate at TrueLayer when <paramref name="revokeNeeded"/>.</summary>
    public async Task EndPlanAsync(NpgsqlConnection connection, NpgsqlTransaction tx, MandateRecord mandate, DateTimeOffset endedAt, bool revokeNeeded, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE truelayer_mandates SET status = CASE WHEN @revokeNeeded THEN 'ending' ELSE 'ended' END, revoke_needed = @revokeNeeded,
                due_at = CASE WHEN @revokeNeeded THEN @endedAt END
            WHERE id = @Id
            """, new { mandate.Id, revokeNeeded, endedAt }, tx, cancellationToken: ct));
        if (await Subscriptions.LockAsync(connection, tx, mandate.Id, ct) is not null)
        {
            await Subscriptions.EndAsync(connection, tx, mandate.Id, mandate.UserId, mandate.Plan, endedAt, ct);
        }
    }

    public static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
