using Dapper;
using Npgsql;
using Reelgate.Credits;

namespace Reelgate.Billing;

/// <summary>
/// Takes back the credits of refunded payments, in proportion to the refunded share of the charge. The balance never
/// goes below zero: what was already spent becomes a debt. Refund totals are stored per charge first, so a refund
/// reported before its payment was fulfilled is applied when it is. TrueLayer refunds count once TrueLayer has executed them.
/// </summary>
public static class RefundClawback
{
    public static Task RecordAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string chargeId, string paymentIntentId, long amount, long amountRefunded, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO stripe_refunds (charge_id, payment_intent_id, amount, amount_refunded) VALUES (@chargeId, @paymentIntentId, @amount, @amountRefunded)
            ON CONFLICT (charge_id) DO UPDATE SET amount_refunded = greatest(stripe_refunds.amount_refunded, excluded.amount_refunded), updated_at = now()
            """, new { chargeId, paymentIntentId, amount, amountRefunded }, tx, cancellationToken: ct));

    public static async Task ReconcileAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid paymentId, CancellationToken ct)
    {
        var payment = await PaymentStore.LockAsync(connection, tx, paymentId, ct);
        if (payment is not { Status: "paid" or "refunded" }) return;
        var (charged, refunded) = payment switch
        {
            { Provider: BillingOptions.TrueLayer } => (BillingCatalog.MinorUnits(payment.Amount), await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT coalesce(sum(amount_minor), 0)::bigint FROM truelayer_refunds WHERE payment_id = @Id AND status = 'executed'",
                new { payment.Id }, tx, cancellationToken: ct))),
            { PaymentIntentId: { } paymentIntentId } => await connection.QuerySingleAsync<(long Charged, long Refunded)>(new CommandDefinition(
                "SELECT coalesce(sum(amount), 0)::bigint, coalesce(sum(amount_refunded), 0)::bigint FROM stripe_refunds WHERE payment_intent_id = @paymentIntentId",
                new { paymentIntentId }, tx, cancellationToken: ct)),
            _ => (0L, 0L),
        };
        if (charged == 0 || refunded == 0) return;

        var share = Math.Min(1m, (decimal)refunded / charged);
        var target = share == 1m ? payment.Credits : decimal.Round(payment.Credits * share, 2, MidpointRounding.ToZero);
        var due = target - payment.ClawedBack;
        if (due <= 0) return;

        var available = await connection.ExecuteScalarAsync<decimal>(new CommandDefinition(
            "SELECT available FROM credit_accounts WHERE user_id = @UserId FOR UPDATE", new { payment.UserId }, tx, cancellationToken: ct));
        var taken = Math.Min(available, due);
        if (taken > 0)
        {
            await Ledger.ApplyAsync(connection, tx, new LedgerOperation(payment.UserId, LedgerKinds.Refund, -taken, 0,
                $"refund:{payment.Id}:{target.ToString(System.Globalization.CultureInfo.InvariantCulture)}", PaymentId: payment.Id,
                Reason: share == 1m ? "Payment refunded" : "Payment partly refunded"), ct);
        }
        if (due > taken) await Debts.RecordAsync(connection, tx, payment.UserId, payment.Id, due - taken, ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE payments SET clawed_back = @target, refunded_amount = @refundedAmount, status = CASE WHEN @full THEN 'refunded' ELSE status END
            WHERE id = @Id
            """, new { target, refundedAmount = refunded / 100m, full = share == 1m, payment.Id }, tx, cancellationToken: ct));
    }
}
