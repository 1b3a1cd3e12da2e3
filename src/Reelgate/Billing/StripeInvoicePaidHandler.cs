using Npgsql;
using Stripe;

namespace Reelgate.Billing;

/// <summary><c>invoice.paid</c>: grants the plan's monthly credits once per invoice, the first one and every renewal.</summary>
public sealed class InvoicePaidHandler(BillingCatalog catalog, PaymentFulfilment fulfilment, ILogger<InvoicePaidHandler> logger) : IStripeEventHandler
{
    public string EventType => EventTypes.InvoicePaid;

    public async Task HandleAsync(Event stripeEvent, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        var invoice = stripeEvent.Data.Object as Invoice;
        var details = invoice?.Parent?.SubscriptionDetails;
        if (invoice?.Id is not { } invoiceId || details?.SubscriptionId is not { } subscriptionId)
        {
            logger.LogInformation("Invoice {InvoiceId} is not for a subscription; ignored", invoice?.Id);
            return;
        }
        var userId = await BillingCustomers.ResolveUserAsync(connection, tx, details.Metadata, invoice.CustomerId, ct);
        var plan = catalog.FindPlanByPrice(invoice.Lines?.Data.FirstOrDefault()?.Pricing?.PriceDetails?.PriceId)
            ?? catalog.FindPlan(details.Metadata?.GetValueOrDefault("plan"));
        if (userId is null || plan is null)
        {
            logger.LogWarning("Invoice {InvoiceId} names no known user or plan; no credits granted", invoiceId);
            return;
        }
        Guid? checkoutPaymentId = Guid.TryParse(details.Metadata?.GetValueOrDefault("payment_id"), out var id) ? id : null;
        await fulfilment.PayInvoiceAsync(connection, tx, new PaidInvoice(
            invoiceId, subscriptionId, userId.Value, plan, checkoutPaymentId,
            invoice.AmountPaid / 100m, invoice.Currency ?? plan.Currency,
            invoice.Payments?.Data.FirstOrDefault()?.Payment?.PaymentIntentId,
            StripeTimes.Utc(invoice.Created), BillingOptions.Stripe), ct);
    }
}
