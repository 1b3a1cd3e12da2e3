using System.Text.Json;
using Npgsql;

namespace Reelgate.Billing;

/// <summary>
/// <c>invoice.paid</c>: grants the plan's monthly credits once per invoice, the first one and every renewal. Current
/// API versions put the subscription under <c>parent.subscription_details</c>; older ones at the top level.
/// </summary>
public sealed class InvoicePaidHandler(BillingCatalog catalog, PaymentFulfilment fulfilment, ILogger<InvoicePaidHandler> logger) : IStripeEventHandler
{
    public string EventType => "invoice.paid";

    public async Task HandleAsync(StripeEvent stripeEvent, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        var invoice = stripeEvent.Object;
        var invoiceId = invoice.Text("id");
        var subscriptionId = invoice.Text("parent.subscription_details.subscription") ?? invoice.Text("subscription");
        if (invoiceId is null || subscriptionId is null)
        {
            logger.LogInformation("Invoice {InvoiceId} is not for a subscription; ignored", invoiceId);
            return;
        }
        var metadata = invoice.At("parent.subscription_details.metadata") ?? invoice.At("subscription_details.metadata");
        var userId = await BillingCustomers.ResolveUserAsync(connection, tx, metadata, invoice.Text("customer"), ct);
        var plan = catalog.FindPlanByPrice(LinePrice(invoice)) ?? catalog.FindPlan(metadata?.Text("plan"));
        if (userId is null || plan is null)
        {
            logger.LogWarning("Invoice {InvoiceId} names no known user or plan; no credits granted", invoiceId);
            return;
        }
        Guid? checkoutPaymentId = Guid.TryParse(metadata?.Text("payment_id"), out var id) ? id : null;
        await fulfilment.PayInvoiceAsync(connection, tx, new PaidInvoice(
            invoiceId, subscriptionId, userId.Value, plan, checkoutPaymentId,
            (invoice.Number("amount_paid") ?? 0) / 100m, invoice.Text("currency") ?? plan.Currency,
            invoice.Text("payments.data.0.payment.payment_intent") ?? invoice.Text("payment_intent"),
            invoice.Time("created") ?? stripeEvent.Created, BillingOptions.Stripe), ct);
    }

    private static string? LinePrice(JsonElement invoice) =>
        invoice.Text("lines.data.0.pricing.price_details.price") ?? invoice.Text("lines.data.0.price");
}
