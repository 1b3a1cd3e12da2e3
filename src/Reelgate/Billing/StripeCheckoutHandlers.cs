using Npgsql;
using Stripe;
using Stripe.Checkout;

namespace Reelgate.Billing;

/// <summary>
/// <c>checkout.session.completed</c>: a plan's session starts the subscription; a pack's grants its credits when
/// paid now, and otherwise waits for <c>checkout.session.async_payment_succeeded</c>.
/// </summary>
public sealed class CheckoutSessionCompletedHandler(PaymentFulfilment fulfilment, ILogger<CheckoutSessionCompletedHandler> logger) : IStripeEventHandler
{
    public string EventType => EventTypes.CheckoutSessionCompleted;

    public Task HandleAsync(Event stripeEvent, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        if (CheckoutSessions.Read(stripeEvent) is not (var session, var paymentId))
        {
            logger.LogInformation("Checkout session {SessionId} was not opened by Reelgate; ignored", (stripeEvent.Data.Object as Session)?.Id);
            return Task.CompletedTask;
        }
        if (session.Mode == "subscription")
        {
            return session.SubscriptionId is { } subscriptionId
                ? fulfilment.StartSubscriptionAsync(connection, tx, paymentId, session.Id, subscriptionId, ct)
                : Task.CompletedTask;
        }
        if (session.PaymentStatus is "paid" or "no_payment_required")
        {
            return fulfilment.PayPackAsync(connection, tx, paymentId, session.Id, session.PaymentIntentId, ct);
        }
        logger.LogInformation("Checkout for payment {PaymentId} completed unpaid; waiting for the asynchronous payment", paymentId);
        return Task.CompletedTask;
    }
}

/// <summary><c>checkout.session.async_payment_succeeded</c>: a delayed payment method has paid.</summary>
public sealed class CheckoutAsyncPaymentSucceededHandler(PaymentFulfilment fulfilment) : IStripeEventHandler
{
    public string EventType => EventTypes.CheckoutSessionAsyncPaymentSucceeded;

    public Task HandleAsync(Event stripeEvent, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        if (CheckoutSessions.Read(stripeEvent) is not (var session, var paymentId)) return Task.CompletedTask;
        return session.Mode == "subscription" && session.SubscriptionId is { } subscriptionId
            ? fulfilment.StartSubscriptionAsync(connection, tx, paymentId, session.Id, subscriptionId, ct)
            : fulfilment.PayPackAsync(connection, tx, paymentId, session.Id, session.PaymentIntentId, ct);
    }
}

/// <summary><c>checkout.session.async_payment_failed</c>: the pending payment failed; nothing is granted.</summary>
public sealed class CheckoutAsyncPaymentFailedHandler(PaymentFulfilment fulfilment) : IStripeEventHandler
{
    public string EventType => EventTypes.CheckoutSessionAsyncPaymentFailed;

    public Task HandleAsync(Event stripeEvent, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct) =>
        CheckoutSessions.Read(stripeEvent) is (_, var paymentId) ? fulfilment.FailAsync(connection, tx, paymentId, ct) : Task.CompletedTask;
}

internal static class CheckoutSessions
{
    /// <summary>The event's session and our payment id, from the metadata Reelgate put on the session.</summary>
    public static (Session Session, Guid PaymentId)? Read(Event stripeEvent) =>
        stripeEvent.Data.Object is Session session && session.Metadata?.GetValueOrDefault("payment_id") is { } text && Guid.TryParse(text, out var id)
            ? (session, id)
            : null;
}
