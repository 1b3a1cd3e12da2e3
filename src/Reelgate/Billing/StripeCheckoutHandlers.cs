using Npgsql;

namespace Reelgate.Billing;

/// <summary>
/// <c>checkout.session.completed</c>: a plan's session starts the subscription; a pack's grants its credits when
/// paid now, and otherwise waits for <c>checkout.session.async_payment_succeeded</c>.
/// </summary>
public sealed class CheckoutSessionCompletedHandler(PaymentFulfilment fulfilment, ILogger<CheckoutSessionCompletedHandler> logger) : IStripeEventHandler
{
    public string EventType => "checkout.session.completed";

    public Task HandleAsync(StripeEvent stripeEvent, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        var session = stripeEvent.Object;
        if (CheckoutSessions.PaymentId(session) is not { } paymentId)
        {
            logger.LogInformation("Checkout session {SessionId} was not opened by Reelgate; ignored", session.Text("id"));
            return Task.CompletedTask;
        }
        if (session.Text("mode") == "subscription")
        {
            return session.Text("subscription") is { } subscriptionId
                ? fulfilment.StartSubscriptionAsync(connection, tx, paymentId, session.Text("id"), subscriptionId, ct)
                : Task.CompletedTask;
        }
        if (session.Text("payment_status") is "paid" or "no_payment_required")
        {
            return fulfilment.PayPackAsync(connection, tx, paymentId, session.Text("id"), session.Text("payment_intent"), ct);
        }
        logger.LogInformation("Checkout for payment {PaymentId} completed unpaid; waiting for the asynchronous payment", paymentId);
        return Task.CompletedTask;
    }
}

/// <summary><c>checkout.session.async_payment_succeeded</c>: a delayed payment method has paid.</summary>
public sealed class CheckoutAsyncPaymentSucceededHandler(PaymentFulfilment fulfilment) : IStripeEventHandler
{
    public string EventType => "checkout.session.async_payment_succeeded";

    public Task HandleAsync(StripeEvent stripeEvent, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        var session = stripeEvent.Object;
        if (CheckoutSessions.PaymentId(session) is not { } paymentId) return Task.CompletedTask;
        return session.Text("mode") == "subscription" && session.Text("subscription") is { } subscriptionId
            ? fulfilment.StartSubscriptionAsync(connection, tx, paymentId, session.Text("id"), subscriptionId, ct)
            : fulfilment.PayPackAsync(connection, tx, paymentId, session.Text("id"), session.Text("payment_intent"), ct);
    }
}

/// <summary><c>checkout.session.async_payment_failed</c>: the pending payment failed; nothing is granted.</summary>
public sealed class CheckoutAsyncPaymentFailedHandler(PaymentFulfilment fulfilment) : IStripeEventHandler
{
    public string EventType => "checkout.session.async_payment_failed";

    public Task HandleAsync(StripeEvent stripeEvent, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct) =>
        CheckoutSessions.PaymentId(stripeEvent.Object) is { } paymentId ? fulfilment.FailAsync(connection, tx, paymentId, ct) : Task.CompletedTask;
}

internal static class CheckoutSessions
{
    /// <summary>Our payment id, from the metadata Reelgate put on the session.</summary>
    public static Guid? PaymentId(System.Text.Json.JsonElement session) =>
        Guid.TryParse(session.Text("metadata.payment_id"), out var id) ? id : null;
}
