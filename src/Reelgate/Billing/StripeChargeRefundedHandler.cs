using Npgsql;
using Stripe;

namespace Reelgate.Billing;

/// <summary><c>charge.refunded</c>: records the charge's refund total and claws back the matching share of its payment's credits.</summary>
public sealed class ChargeRefundedHandler(ILogger<ChargeRefundedHandler> logger) : IStripeEventHandler
{
    public string EventType => EventTypes.ChargeRefunded;

    public async Task HandleAsync(Event stripeEvent, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        if (stripeEvent.Data.Object is not Charge { Id: { } chargeId, PaymentIntentId: { } paymentIntentId, Amount: > 0 } charge)
        {
            logger.LogWarning("Refunded charge {ChargeId} has no payment intent or amounts; ignored", (stripeEvent.Data.Object as Charge)?.Id);
            return;
        }
        await RefundClawback.RecordAsync(connection, tx, chargeId, paymentIntentId, charge.Amount, charge.AmountRefunded, ct);
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
