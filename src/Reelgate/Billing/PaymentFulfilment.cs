using Npgsql;
using Reelgate.Accounts;
using Reelgate.Credits;

namespace Reelgate.Billing;

/// <summary>A paid subscription invoice, as Stripe's invoice.paid, a settled TrueLayer monthly payment or the sandbox reports it.</summary>
public sealed record PaidInvoice(
    string InvoiceId, string SubscriptionId, Guid UserId, Plan Plan, Guid? CheckoutPaymentId, decimal Amount, string Currency,
    string? PaymentIntentId, DateTimeOffset CreatedAt, string Provider);

/// <summary>
/// Turns payments into credits, for Stripe's webhook handlers and the sandbox alike. Each method runs in the
/// caller's transaction and may be repeated: grants are keyed per payment and per invoice. A payment's first
/// grant also pays the account's pending referral, in the same transaction.
/// </summary>
public sealed class PaymentFulfilment(SubscriptionCredits subscriptionCredits, Referrals referrals, ILogger<PaymentFulfilment> logger)
{
    public async Task PayPackAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid paymentId, string? sessionId, string? paymentIntentId, CancellationToken ct)
    {
        var payment = await PaymentStore.LockAsync(connection, tx, paymentId, ct);
        if (payment is not { Kind: PaymentKinds.Pack })
        {
            logger.LogWarning("Paid checkout names payment {PaymentId}, which is not a pending credit pack; ignored", paymentId);
            return;
        }
        await PaymentStore.MarkPaidAsync(connection, tx, payment.Id, sessionId, paymentIntentId, null, null, ct);
        var grant = await Ledger.ApplyAsync(connection, tx, new LedgerOperation(payment.UserId, LedgerKinds.Purchase, payment.Credits, 0,
            $"payment:{payment.Id}", PaymentId: payment.Id, Reason: $"Credit pack {payment.Product}"), ct);
        if (grant is LedgerResult.Applied && payment.Amount > 0) await referrals.RewardPurchaseAsync(connection, tx, payment.UserId, ct);
        await RefundClawback.ReconcileAsync(connection, tx, payment.Id, ct);
        await Debts.SettleAsync(connection, tx, payment.UserId, ct);
    }

    public Task FailAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid paymentId, CancellationToken ct) =>
        PaymentStore.MarkFailedAsync(connection, tx, paymentId, ct);

    /// <summary>A plan's checkout completed: the subscription exists; its invoices bring the credits.</summary>
    public async Task StartSubscriptionAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid paymentId, string? sessionId, string subscriptionId, CancellationToken ct)
    {
        var payment = await PaymentStore.LockAsync(connection, tx, paymentId, ct);
        if (payment is not { Kind: PaymentKinds.Plan })
        {
            logger.LogWarning("Subscription checkout names payment {PaymentId}, which is not a plan purchase; ignored", paymentId);
            return;
        }
        await PaymentStore.AttachSubscriptionAsync(connection, tx, payment.Id, sessionId, subscriptionId, ct);
        await Subscriptions.EnsureAsync(connection, tx, subscriptionId, payment.UserId, payment.Product, ct);
    }

    /// <summary>Grants the plan's monthly credits once per invoice, unless the subscription had ended before the invoice was made.</summary>
    public async Task PayInvoiceAsync(NpgsqlConnection connection, NpgsqlTransaction tx, PaidInvoice invoice, CancellationToken ct)
    {
        var subscription = await Subscriptions.LockAsync(connection, tx, invoice.SubscriptionId, ct);
        if (subscription?.EndedAt is { } endedAt && invoice.CreatedAt >= new DateTimeOffset(DateTime.SpecifyKind(endedAt, DateTimeKind.Utc)))
        {
            logger.LogInformation("Invoice {InvoiceId} was made after subscription {SubscriptionId} ended; no credits", invoice.InvoiceId, invoice.SubscriptionId);
            return;
        }
        await Subscriptions.EnsureAsync(connection, tx, invoice.SubscriptionId, invoice.UserId, invoice.Plan.Id, ct);

        var payment = await PaymentStore.LockByInvoiceAsync(connection, tx, invoice.InvoiceId, ct);
        if (payment is null && invoice.CheckoutPaymentId is { } checkoutPaymentId
            && await PaymentStore.LockAsync(connection, tx, checkoutPaymentId, ct) is { Kind: PaymentKinds.Plan or PaymentKinds.Renewal, InvoiceId: null } first
            && first.UserId == invoice.UserId)
        {
            payment = first;
        }
        if (payment is null)
        {
            payment = new PaymentRecord(Guid.CreateVersion7(), invoice.UserId, invoice.Provider, PaymentKinds.Renewal, invoice.Plan.Id,
                invoice.Plan.MonthlyCredits, invoice.Amount, invoice.Currency, "paid", null, invoice.PaymentIntentId, invoice.InvoiceId,
                invoice.SubscriptionId, 0, 0, DateTime.UtcNow, DateTime.UtcNow);
            await PaymentStore.InsertPaidAsync(connection, tx, payment, ct);
        }
        else
        {
            await PaymentStore.MarkPaidAsync(connection, tx, payment.Id, null, invoice.PaymentIntentId, invoice.InvoiceId, invoice.SubscriptionId, ct);
        }

        var grant = await Ledger.ApplyAsync(connection, tx, new LedgerOperation(invoice.UserId, LedgerKinds.Subscription, payment.Credits, 0,
            $"invoice:{invoice.InvoiceId}", PaymentId: payment.Id, Reason: $"{invoice.Plan.Name} plan monthly credits"), ct);
        if (grant is LedgerResult.Applied applied)
        {
            await subscriptionCredits.TrackAsync(connection, tx, applied.Entry, ct);
            if (invoice.Amount > 0) await referrals.RewardPurchaseAsync(connection, tx, invoice.UserId, ct);
        }
        await RefundClawback.ReconcileAsync(connection, tx, payment.Id, ct);
        await Debts.SettleAsync(connection, tx, invoice.UserId, ct);
    }
}
