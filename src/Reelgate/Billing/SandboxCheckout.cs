using Dapper;
using Npgsql;

namespace Reelgate.Billing;

/// <summary>
/// The test-mode provider: checkout is a Reelgate page whose button completes the payment through the same
/// fulfilment as Stripe's webhook. A plan completes as a subscription with its first invoice paid, and is cancelled
/// through the same ending as Stripe's <c>customer.subscription.deleted</c>.
/// </summary>
public sealed class SandboxCheckout(NpgsqlDataSource db, PaymentFulfilment fulfilment, BillingCatalog catalog, TimeProvider time) : ICheckoutProvider
{
    public Task<CheckoutResult> OpenAsync(CheckoutRequest request, CancellationToken ct) =>
        Task.FromResult<CheckoutResult>(new CheckoutResult.Opened($"{request.BaseUrl}/billing/sandbox/checkout/{request.PaymentId}", null));

    public async Task CompleteAsync(PaymentRecord payment, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (payment.Kind == PaymentKinds.Pack)
        {
            await fulfilment.PayPackAsync(connection, tx, payment.Id, null, null, ct);
        }
        else if (catalog.FindPlan(payment.Product) is { } plan)
        {
            var subscriptionId = $"sandbox_sub_{payment.Id:N}";
            await fulfilment.StartSubscriptionAsync(connection, tx, payment.Id, null, subscriptionId, ct);
            await fulfilment.PayInvoiceAsync(connection, tx, new PaidInvoice($"sandbox_in_{payment.Id:N}", subscriptionId, payment.UserId, plan,
                payment.Id, payment.Amount, payment.Currency, null, time.GetUtcNow(), BillingOptions.Sandbox), ct);
        }
        await tx.CommitAsync(ct);
    }

    /// <summary>Ends the user's live sandbox subscriptions now; returns how many ended.</summary>
    public async Task<int> CancelPlanAsync(Guid userId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var live = (await connection.QueryAsync<(string Id, string? Plan)>(new CommandDefinition("""
            SELECT id, plan FROM billing_subscriptions
            WHERE user_id = @userId AND ended_at IS NULL AND id LIKE 'sandbox\_sub\_%' FOR UPDATE
            """, new { userId }, tx, cancellationToken: ct))).AsList();
        foreach (var (id, plan) in live) await Subscriptions.EndAsync(connection, tx, id, userId, plan, time.GetUtcNow(), ct);
        await tx.CommitAsync(ct);
        return live.Count;
    }
}
