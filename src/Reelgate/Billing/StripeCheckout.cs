using System.Globalization;
using Microsoft.Extensions.Options;

namespace Reelgate.Billing;

/// <summary>
/// Stripe Checkout: mode <c>payment</c> with inline price data for a pack, mode <c>subscription</c> with the plan's
/// price for a plan (on the user's Stripe customer, created once). Our ids travel in metadata and client_reference_id.
/// </summary>
public sealed class StripeCheckout(StripeClient stripe, BillingCustomers customers, IOptions<BillingOptions> options) : ICheckoutProvider
{
    public async Task<CheckoutResult> OpenAsync(CheckoutRequest request, CancellationToken ct)
    {
        var returnUrl = options.Value.ReturnUrl ?? $"{request.BaseUrl}/billing/return";
        var separator = returnUrl.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        var metadata = new Dictionary<string, string>
        {
            ["user_id"] = request.UserId.ToString(),
            ["payment_id"] = request.PaymentId.ToString(),
            [request.Pack is not null ? "pack" : "plan"] = request.Pack?.Id ?? request.Plan!.Id,
        };
        var form = new StripeForm()
            .Add("success_url", $"{returnUrl}{separator}payment={request.PaymentId}&session_id={{CHECKOUT_SESSION_ID}}")
            .Add("cancel_url", $"{returnUrl}{separator}payment={request.PaymentId}&canceled=true")
            .Add("client_reference_id", request.UserId.ToString())
            .Metadata("metadata", metadata);

        var customer = await customers.FindCustomerAsync(request.UserId, ct);
        if (request.Pack is { } pack)
        {
            form.Add("mode", "payment")
                .Add("line_items[0][price_data][currency]", pack.Currency)
                .Add("line_items[0][price_data][unit_amount]", BillingCatalog.MinorUnits(pack.Price))
                .Add("line_items[0][price_data][product_data][name]", $"{pack.Credits.ToString("0.##", CultureInfo.InvariantCulture)} Reelgate credits")
                .Add("line_items[0][quantity]", 1)
                .Metadata("payment_intent_data[metadata]", metadata);
            if (customer is not null) form.Add("customer", customer);
            else form.Add("customer_email", request.Email);
        }
        else
        {
            if (customer is null)
            {
                var created = await stripe.CreateCustomerAsync(request.UserId, request.Email, ct);
                if (created is not StripeResult.Ok { Body: var body } || body.Text("id") is not { } customerId) return Failure(created);
                customer = await customers.SaveAsync(request.UserId, customerId, ct);
            }
            form.Add("mode", "subscription")
                .Add("customer", customer)
                .Add("line_items[0][price]", request.Plan!.StripePriceId)
                .Add("line_items[0][quantity]", 1)
                .Metadata("subscription_data[metadata]", metadata);
        }

        var session = await stripe.CreateCheckoutSessionAsync(form, request.PaymentId, ct);
        return session is StripeResult.Ok { Body: var json } && json.Text("url") is { } url
            ? new CheckoutResult.Opened(url, json.Text("id"))
            : Failure(session);
    }

    private static CheckoutResult.Failed Failure(StripeResult result) => new(result switch
    {
        StripeResult.Rejected r => $"Stripe refused the request ({r.Status} {r.Type}): {r.Message}",
        StripeResult.Failed f => f.Reason,
        _ => "Stripe's answer had no id or url.",
    });
}
