using Dapper;
using Npgsql;

namespace Reelgate.Billing.TrueLayer;

/// <summary>
/// Reads a pending TrueLayer payment's status from TrueLayer (<c>GET /v3/payments/{id}</c>) and applies
/// <c>settled</c> or <c>failed</c> through the same path as the webhooks, so a lost webhook does not lose credits.
/// </summary>
public sealed class TrueLayerStatusReads(TrueLayerApi api, TrueLayerPayments payments, NpgsqlDataSource db, ILogger<TrueLayerStatusReads> logger)
{
    public async Task RefreshAsync(PaymentRecord payment, CancellationToken ct)
    {
        if (payment is not { Provider: BillingOptions.TrueLayer, Status: "pending", TrueLayerPaymentId: { } trueLayerId }) return;
        if (await api.GetAsync($"/v3/payments/{Uri.EscapeDataString(trueLayerId)}", TrueLayerApi.PaymentsScope, ct) is not TlResult.Ok { Body: var body })
        {
            logger.LogInformation("TrueLayer payment {TrueLayerPaymentId} status could not be read; the webhook will tell", trueLayerId);
            return;
        }
        var status = TlJson.Text(body, "status");
        if (status is not ("settled" or "failed")) return;
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (await PaymentStore.LockByTrueLayerIdAsync(connection, tx, trueLayerId, ct) is { } locked)
        {
            if (status == "settled") await payments.SettledAsync(connection, tx, locked, ct);
            else await payments.FailedAsync(connection, tx, locked, TlJson.Text(body, "failure_reason"), ct);
        }
        await tx.CommitAsync(ct);
    }
}

/// <summary>Cancelling a plan paid by bank revokes its mandate at TrueLayer; the plan then ends when its last paid month does.</summary>
public sealed class MandateCancellation(TrueLayerApi api, MandateSchedule schedule, NpgsqlDataSource db, TimeProvider time)
{
    /// <summary>Revokes the user's live mandates; returns how many were revoked, or null when TrueLayer did not answer.</summary>
    public async Task<int?> CancelAsync(Guid userId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var live = (await connection.QueryAsync<string>(new CommandDefinition("""
            SELECT id FROM truelayer_mandates WHERE user_id = @userId AND status IN ('authorization_required', 'authorized')
            """, new { userId }, cancellationToken: ct))).AsList();
        foreach (var id in live)
        {
            var result = await api.PostAsync($"/v3/mandates/{Uri.EscapeDataString(id)}/revoke", [], TrueLayerApi.IdempotencyKey($"mandate-revoke:{id}"),
                TrueLayerApi.MandatesScope, ct);
            if (result is TlResult.Failed) return null;
            await using var tx = await connection.BeginTransactionAsync(ct);
            await schedule.RevokedAsync(connection, tx, id, time.GetUtcNow(), ct);
            await tx.CommitAsync(ct);
        }
        return live.Count;
    }

    /// <summary>The user's latest plan by bank that is live, or whose last payment failed, for the billing page.</summary>
    public async Task<MandateRecord?> LatestAsync(Guid userId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<MandateRecord>(new CommandDefinition("""
            SELECT id, user_id, plan, payment_id, currency, amount_minor, status, period, attempt, anchor_at, due_at, revoke_needed, failure_reason, revoked_at
            FROM truelayer_mandates WHERE user_id = @userId AND status <> 'authorization_required' ORDER BY created_at DESC LIMIT 1
            """, new { userId }, cancellationToken: ct));
    }
}
