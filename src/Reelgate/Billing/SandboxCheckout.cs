using Npgsql;

namespace Reelgate.Billing;

/// <summary>
/// The test-mode provider: checkout is a Reelgate page whose button completes the payment through the same
/// fulfilment as Stripe's webhook. A plan completes as a subscription with its first invoice paid.
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
}
