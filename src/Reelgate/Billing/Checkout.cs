using Reelgate.Accounts;
using Reelgate.Billing.TrueLayer;

namespace Reelgate.Billing;

public sealed record CheckoutRequest(Guid PaymentId, Guid UserId, string Email, Pack? Pack, Plan? Plan, string BaseUrl);

public abstract record CheckoutResult
{
    public sealed record Opened(string Url, string? SessionId) : CheckoutResult;
    public sealed record Failed(string Reason) : CheckoutResult;
}

/// <summary>Opens a payment page for a pending payment: Stripe Checkout, or the sandbox page.</summary>
public interface ICheckoutProvider
{
    Task<CheckoutResult> OpenAsync(CheckoutRequest request, CancellationToken ct);
}

public abstract record PurchaseResult
{
    public sealed record Created(Guid PaymentId, string CheckoutUrl) : PurchaseResult;
    public sealed record ProviderFailed(string Reason) : PurchaseResult;
}

/// <summary>Records a pending payment for a pack or a plan, then opens its checkout with the chosen provider (the default when null).</summary>
public sealed class Purchases(BillingCatalog catalog, PaymentStore payments, UserStore users, IServiceProvider services, ILogger<Purchases> logger)
{
    public async Task<PurchaseResult> StartAsync(Guid userId, Pack? pack, Plan? plan, string baseUrl, CancellationToken ct, string? providerName = null)
    {
        var user = await users.FindByIdAsync(userId, ct) ?? throw new InvalidOperationException($"User {userId} does not exist.");
        var chosen = providerName ?? catalog.Provider;
        var paymentId = Guid.CreateVersion7();
        var charge = pack is not null
            ? catalog.PriceOf(chosen, pack.Price, pack.Currency, pack.MinorPrices)
            : catalog.PriceOf(chosen, plan!.Price, plan.Currency, plan.MinorPrices);
        await payments.InsertPendingAsync(paymentId, userId, chosen, pack is not null ? PaymentKinds.Pack : PaymentKinds.Plan,
            pack?.Id ?? plan!.Id, pack?.Credits ?? plan!.MonthlyCredits, charge.Amount, charge.Currency, ct);

        ICheckoutProvider provider = chosen switch
        {
            BillingOptions.Sandbox => services.GetRequiredService<SandboxCheckout>(),
            BillingOptions.TrueLayer => services.GetRequiredService<TrueLayerCheckout>(),
            _ => services.GetRequiredService<StripeCheckout>(),
        };
        var result = await provider.OpenAsync(new CheckoutRequest(paymentId, userId, user.Email, pack, plan, baseUrl.TrimEnd('/')), ct);
        switch (result)
        {
            case CheckoutResult.Opened opened:
                if (opened.SessionId is not null) await payments.SetCheckoutSessionAsync(paymentId, opened.SessionId, ct);
                return new PurchaseResult.Created(paymentId, opened.Url);
            case CheckoutResult.Failed failed:
                logger.LogWarning("Checkout for payment {PaymentId} could not be opened: {Reason}", paymentId, failed.Reason);
                await payments.MarkFailedAsync(paymentId, CancellationToken.None);
                return new PurchaseResult.ProviderFailed(failed.Reason);
            default:
                throw new InvalidOperationException($"Unexpected checkout result {result}");
        }
    }
}
