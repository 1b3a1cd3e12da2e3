using System.Text.Json.Nodes;
using Npgsql;

namespace Reelgate.Billing.TrueLayer;

/// <summary><c>payment_settled</c>: the money is in our merchant account; the payment's credits are granted once.</summary>
public sealed class PaymentSettledHandler(TrueLayerPayments payments, ILogger<PaymentSettledHandler> logger) : ITrueLayerEventHandler
{
    public string EventType => "payment_settled";

    public async Task HandleAsync(JsonObject payload, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        var trueLayerId = TlJson.Text(payload, "payment_id");
        if (await TrueLayerPayments.LockAsync(connection, tx, trueLayerId, TlJson.Metadata(payload, "payment_id"), ct) is not { } payment)
        {
            logger.LogWarning("Settled TrueLayer payment {TrueLayerPaymentId} is not one of ours; ignored", trueLayerId);
            return;
        }
        await payments.SettledAsync(connection, tx, payment, ct);
    }
}

/// <summary><c>payment_failed</c>: the payment is closed as failed with TrueLayer's failure_reason; nothing is granted.</summary>
public sealed class PaymentFailedHandler(TrueLayerPayments payments, ILogger<PaymentFailedHandler> logger) : ITrueLayerEventHandler
{
    public string EventType => "payment_failed";

    public async Task HandleAsync(JsonObject payload, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        var trueLayerId = TlJson.Text(payload, "payment_id");
        if (await TrueLayerPayments.LockAsync(connection, tx, trueLayerId, TlJson.Metadata(payload, "payment_id"), ct) is not { } payment)
        {
            logger.LogWarning("Failed TrueLayer payment {TrueLayerPaymentId} is not one of ours; ignored", trueLayerId);
            return;
        }
        await payments.FailedAsync(connection, tx, payment, TlJson.Text(payload, "failure_reason"), ct);
    }
}
