using Npgsql;
using Stripe;

namespace Reelgate.Billing;

/// <summary><c>customer.subscription.updated</c>: plan changes and status; an older event never overwrites a newer state.</summary>
public sealed class SubscriptionUpdatedHandler(BillingCatalog catalog, ILogger<SubscriptionUpdatedHandler> logger) : IStripeEventHandler
{
    public string EventType => EventTypes.CustomerSubscriptionUpdated;

    public async Task HandleAsync(Event stripeEvent, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        if (await StripeSubscriptions.ReadAsync(stripeEvent, catalog, connection, tx, ct) is not (var subscription, var userId, var plan))
        {
            logger.LogWarning("Subscription {SubscriptionId} belongs to no known user; ignored", (stripeEvent.Data.Object as Subscription)?.Id);
            return;
        }
        var status = subscription.Status ?? "active";
        var created = StripeTimes.Utc(stripeEvent.Created);
        if (status is "canceled" or "incomplete_expired")
        {
            await Subscriptions.EndAsync(connection, tx, subscription.Id, userId, plan?.Id, StripeTimes.Utc(subscription.EndedAt) ?? created, ct);
            return;
        }
        await Subscriptions.ApplyAsync(connection, tx, subscription.Id, userId, plan?.Id, status, created, ct);
    }
}

/// <summary><c>customer.subscription.deleted</c>: the subscription has ended; later invoices grant nothing and the plan is cleared.</summary>
public sealed class SubscriptionDeletedHandler(BillingCatalog catalog, ILogger<SubscriptionDeletedHandler> logger) : IStripeEventHandler
{
    public string EventType => EventTypes.CustomerSubscriptionDeleted;

    public async Task HandleAsync(Event stripeEvent, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        if (await StripeSubscriptions.ReadAsync(stripeEvent, catalog, connection, tx, ct) is not (var subscription, var userId, var plan))
        {
            logger.LogWarning("Deleted subscription {SubscriptionId} belongs to no known user; ignored", (stripeEvent.Data.Object as Subscription)?.Id);
            return;
        }
        var endedAt = StripeTimes.Utc(subscription.EndedAt) ?? StripeTimes.Utc(subscription.CanceledAt) ?? StripeTimes.Utc(stripeEvent.Created);
        await Subscriptions.EndAsync(connection, tx, subscription.Id, userId, plan?.Id, endedAt, ct);
    }
}

internal static class StripeSubscriptions
{
    /// <summary>The event's subscription, the user it belongs to and its plan (by price, else by our metadata).</summary>
    public static async Task<(Subscription Subscription, Guid UserId, Plan? Plan)?> ReadAsync(
        Event stripeEvent, BillingCatalog catalog, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        if (stripeEvent.Data.Object is not Subscription { Id: not null } subscription
            || await BillingCustomers.ResolveUserAsync(connection, tx, subscription.Metadata, subscription.CustomerId, ct) is not { } userId)
        {
            return null;
        }
        var plan = catalog.FindPlanByPrice(subscription.Items?.Data.FirstOrDefault()?.Price?.Id)
            ?? catalog.FindPlan(subscription.Metadata?.GetValueOrDefault("plan"));
        return (subscription, userId, plan);
    }
}
