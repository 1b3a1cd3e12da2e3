using System.Globalization;
using Microsoft.Extensions.Options;
using Stripe.Checkout;

namespace Reelgate.Billing;

/// <summary>
/// Stripe Checkout: mode <c>payment</c> with inline price data for a pack, mode <c>subscription</c> with the plan's
/// price for a plan (on the user's Stripe customer, created once). Our ids travel in metadata and client_reference_id.
/// </summary>
public sealed class StripeCheckout(StripeApi stripe, BillingCustomers customers, IOptions<BillingOptions> options) : ICheckoutProvider
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
        var session = new SessionCreateOptions
        {
            SuccessUrl = $"{returnUrl}{separator}payment={request.PaymentId}&session_id={{CHECKOUT_SESSION_ID}}",
            CancelUrl = $"{returnUrl}{separator}payment={request.PaymentId}&canceled=true",
            ClientReferenceId = request.UserId.ToString(),
            Metadata = metadata,
        };

        var customer = await customers.FindCustomerAsync(request.UserId, ct);
        if (request.Pack is { } pack)
        {
            session.Mode = "payment";
            session.LineItems =
            [
                new SessionLineItemOptions
                {
                    Quantity = 1,
                    PriceData = new SessionLineItemPriceDataOptions
                    {
                        Currency = pack.Currency,
                        UnitAmount = BillingCatalog.MinorUnits(pack.Price),
                        ProductData = new SessionLineItemPriceDataProductDataOptions
                        {
                            Name = $"{pack.Credits.ToString("0.##", CultureInfo.InvariantCulture)} Reelgate credits",
                        },
                    },
                },
            ];
            session.PaymentIntentData = new SessionPaymentIntentDataOptions { Metadata = metadata };
            if (customer is not null) session.Customer = customer;
            else session.CustomerEmail = request.Email;
        }
        else
        {
            if (customer is null)
            {
                var created = await stripe.CreateCustomerAsync(request.UserId, request.Email, ct);
                if (created is not StripeResult<Stripe.Customer>.Ok { Value.Id: { } customerId }) return new CheckoutResult.Failed(created.Describe());
                customer = await customers.SaveAsync(request.UserId, customerId, ct);
            }
            session.Mode = "subscription";
            session.Customer = customer;
            session.LineItems = [new SessionLineItemOptions { Price = request.Plan!.StripePriceId, Quantity = 1 }];
            session.SubscriptionData = new SessionSubscriptionDataOptions { Metadata = metadata };
        }

        var opened = await stripe.CreateCheckoutSessionAsync(session, request.PaymentId, ct);
        return opened switch
        {
            StripeResult<Session>.Ok { Value: { Url: { } url } value } => new CheckoutResult.Opened(url, value.Id),
            StripeResult<Session>.Ok => new CheckoutResult.Failed("Stripe's session had no url."),
            _ => new CheckoutResult.Failed(opened.Describe()),
        };
    }
}
