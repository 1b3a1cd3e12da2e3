using Reelgate.Accounts;

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

/// <summary>Records a pending payment for a pack or a plan, then opens its checkout with the configured provider.</summary>
public sealed class Purchases(BillingCatalog catalog, PaymentStore payments, UserStore users, SandboxCheckout sandbox, StripeCheckout stripe, ILogger<Purchases> logger)
{
    public async Task<PurchaseResult> StartAsync(Guid userId, Pack? pack, Plan? plan, string baseUrl, CancellationToken ct)
    {
        var user = await users.FindByIdAsync(userId, ct) ?? throw new InvalidOperationException($"User {userId} does not exist.");
        var paymentId = Guid.CreateVersion7();
        await payments.InsertPendingAsync(paymentId, userId, catalog.Provider, pack is not null ? PaymentKinds.Pack : PaymentKinds.Plan,
            pack?.Id ?? plan!.Id, pack?.Credits ?? plan!.MonthlyCredits, pack?.Price ?? plan!.Price, pack?.Currency ?? plan!.Currency, ct);

        ICheckoutProvider provider = catalog.IsSandbox ? sandbox : stripe;
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
