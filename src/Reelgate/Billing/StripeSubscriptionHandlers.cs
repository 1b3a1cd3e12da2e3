using Npgsql;

namespace Reelgate.Billing;

/// <summary><c>customer.subscription.updated</c>: plan changes and status; an older event never overwrites a newer state.</summary>
public sealed class SubscriptionUpdatedHandler(BillingCatalog catalog, ILogger<SubscriptionUpdatedHandler> logger) : IStripeEventHandler
{
    public string EventType => "customer.subscription.updated";

    public async Task HandleAsync(StripeEvent stripeEvent, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        var subscription = stripeEvent.Object;
        if (subscription.Text("id") is not { } id || await BillingCustomers.ResolveUserAsync(connection, tx, subscription.At("metadata"), subscription.Text("customer"), ct) is not { } userId)
        {
            logger.LogWarning("Subscription {SubscriptionId} belongs to no known user; ignored", subscription.Text("id"));
            return;
        }
        var plan = catalog.FindPlanByPrice(subscription.Text("items.data.0.price")) ?? catalog.FindPlan(subscription.Text("metadata.plan"));
        var status = subscription.Text("status") ?? "active";
        if (status is "canceled" or "incomplete_expired")
        {
            await Subscriptions.EndAsync(connection, tx, id, userId, plan?.Id, subscription.Time("ended_at") ?? stripeEvent.Created, ct);
            return;
        }
        await Subscriptions.ApplyAsync(connection, tx, id, userId, plan?.Id, status, stripeEvent.Created, ct);
    }
}

/// <summary><c>customer.subscription.deleted</c>: the subscription has ended; later invoices grant nothing and the plan is cleared.</summary>
public sealed class SubscriptionDeletedHandler(BillingCatalog catalog, ILogger<SubscriptionDeletedHandler> logger) : IStripeEventHandler
{
    public string EventType => "customer.subscription.deleted";

    public async Task HandleAsync(StripeEvent stripeEvent, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        var subscription = stripeEvent.Object;
        if (subscription.Text("id") is not { } id || await BillingCustomers.ResolveUserAsync(connection, tx, subscription.At("metadata"), subscription.Text("customer"), ct) is not { } userId)
        {
            logger.LogWarning("Deleted subscription {SubscriptionId} belongs to no known user; ignored", subscription.Text("id"));
            return;
        }
        var plan = catalog.FindPlanByPrice(subscription.Text("items.data.0.price")) ?? catalog.FindPlan(subscription.Text("metadata.plan"));
        var endedAt = subscription.Time("ended_at") ?? subscription.Time("canceled_at") ?? stripeEvent.Created;
        await Subscriptions.EndAsync(connection, tx, id, userId, plan?.Id, endedAt, ct);
    }
}
