using Dapper;
using Npgsql;

namespace Reelgate.Billing.TrueLayer;

/// <summary>
/// A TrueLayer payment's outcome, from a webhook or a status read alike, in the caller's transaction. A settled pack
/// goes through the same fulfilment as Stripe's; a settled or failed monthly payment moves its mandate's schedule.
/// Both may be repeated and arrive in any order: grants are keyed, and a failure only closes a pending payment.
/// </summary>
public sealed class TrueLayerPayments(PaymentFulfilment fulfilment, MandateSchedule schedule, ILogger<TrueLayerPayments> logger)
{
    /// <summary>Our payment for a TrueLayer payment id, else by the payment_id metadata we sent (recording the TrueLayer id).</summary>
    public static async Task<PaymentRecord?> LockAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string? trueLayerId, string? ourId, CancellationToken ct)
    {
        if (trueLayerId is not null && await PaymentStore.LockByTrueLayerIdAsync(connection, tx, trueLayerId, ct) is { } known) return known;
        if (!Guid.TryParse(ourId, out var id) || await PaymentStore.LockAsync(connection, tx, id, ct) is not { Provider: BillingOptions.TrueLayer } payment) return null;
        if (trueLayerId is not null && payment.TrueLayerPaymentId is null)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE payments SET truelayer_payment_id = @trueLayerId WHERE id = @Id", new { trueLayerId, payment.Id }, tx, cancellationToken: ct));
            payment = payment with { TrueLayerPaymentId = trueLayerId };
        }
        return payment;
    }

    public async Task SettledAsync(NpgsqlConnection connection, NpgsqlTransaction tx, PaymentRecord payment, CancellationToken ct)
    {
        if (payment is { MandateId: not null, Period: not null })
        {
            await schedule.SettledAsync(connection, tx, payment, ct);
        }
        else if (payment.Kind == PaymentKinds.Pack)
        {
            await fulfilment.PayPackAsync(connection, tx, payment.Id, null, null, ct);
        }
        else
        {
            logger.LogWarning("TrueLayer payment {PaymentId} settled but is neither a pack nor a monthly payment; nothing granted", payment.Id);
        }
    }

    public async Task FailedAsync(NpgsqlConnection connection, NpgsqlTransaction tx, PaymentRecord payment, string? reason, CancellationToken ct)
    {
        var closed = await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE payments SET status = 'failed', failure_reason = coalesce(@reason, 'unknown') WHERE id = @Id AND status = 'pending'
            """, new { payment.Id, reason }, tx, cancellationToken: ct));
        if (closed == 0) return;
        logger.LogInformation("TrueLayer payment {PaymentId} failed: {FailureReason}", payment.Id, reason ?? "unknown");
        if (payment is { MandateId: not null, Period: not null }) await schedule.FailedAsync(connection, tx, payment, reason ?? "unknown", ct);
    }
}
