using Npgsql;

namespace Reelgate.Billing;

/// <summary><c>charge.refunded</c>: records the charge's refund total and claws back the matching share of its payment's credits.</summary>
public sealed class ChargeRefundedHandler(ILogger<ChargeRefundedHandler> logger) : IStripeEventHandler
{
    public string EventType => "charge.refunded";

    public async Task HandleAsync(StripeEvent stripeEvent, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        var charge = stripeEvent.Object;
        if (charge.Text("id") is not { } chargeId || charge.Text("payment_intent") is not { } paymentIntentId
            || charge.Number("amount") is not > 0 || charge.Number("amount_refunded") is not { } refunded)
        {
            logger.LogWarning("Refunded charge {ChargeId} has no payment intent or amounts; ignored", charge.Text("id"));
            return;
        }
        await RefundClawback.RecordAsync(connection, tx, chargeId, paymentIntentId, charge.Number("amount")!.Value, refunded, ct);
        if (await PaymentStore.LockByPaymentIntentAsync(connection, tx, paymentIntentId, ct) is { } payment)
        {
            await RefundClawback.ReconcileAsync(connection, tx, payment.Id, ct);
        }
        else
        {
            logger.LogInformation("Refund of {PaymentIntentId} recorded before its payment was fulfilled; applied when it is", paymentIntentId);
        }
    }
}
