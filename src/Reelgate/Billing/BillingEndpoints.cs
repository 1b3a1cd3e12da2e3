using Reelgate.ApiKeys;
using Microsoft.AspNetCore.Http.HttpResults;
using Reelgate.Billing.TrueLayer;
using Reelgate.Common;
using Reelgate.Idempotency;

namespace Reelgate.Billing;

public static class BillingEndpoints
{
    /// <summary><c>minorPrices</c>: what pay by bank charges, in pence or cents, by currency.</summary>
    public sealed record PackView(string Id, decimal Credits, decimal Price, string Currency, IReadOnlyDictionary<string, long> MinorPrices);
    public sealed record PlanView(string Id, string Name, decimal MonthlyCredits, decimal Price, string Currency, IReadOnlyDictionary<string, long> MinorPrices);
    public sealed record CatalogView(IReadOnlyList<PackView> Packs, IReadOnlyList<PlanView> Plans, string Provider, IReadOnlyList<string> Providers);
    public sealed record PurchaseRequest(string? Pack, string? Plan, string? Provider);
    public sealed record PurchaseCreated(string CheckoutUrl, Guid PaymentId);
    public sealed record PortalLink(string Url);
    public sealed record PaymentView(Guid Id, string Kind, string Product, decimal Credits, decimal Amount, string Currency, string Status,
        string Provider, decimal RefundedAmount, DateTime CreatedAt, DateTime? PaidAt, string? FailureReason);
    public sealed record PaymentPage(IReadOnlyList<PaymentView> Data, string? NextCursor);

    public static IEndpointRouteBuilder MapBilling(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1").WithTags("Billing").RequireAuthorization().RequireScope(Scopes.Billing);
        api.MapGet("/billing/catalog", GetCatalog).AllowAnonymous();
        api.MapPost("/credits/purchase", Purchase).WithIdempotency();
        api.MapPost("/billing/portal", Portal).WithIdempotency();
        api.MapGet("/payments", ListPayments);
        api.MapGet("/payments/{id:guid}", GetPayment);

        routes.MapPost("/webhooks/stripe", StripeWebhookEndpoint.HandleAsync).WithTags("Billing").AllowAnonymous();
        routes.MapPost("/webhooks/truelayer", TrueLayerWebhookEndpoint.HandleAsync).WithTags("Billing").AllowAnonymous();
        routes.MapRefunds();
        routes.MapBillingPages();
        return routes;
    }

    private static Ok<CatalogView> GetCatalog(BillingCatalog catalog) => TypedResults.Ok(new CatalogView(
        catalog.Packs.Select(p => new PackView(p.Id, p.Credits, p.Price, p.Currency, p.MinorPrices)).ToList(),
        catalog.Plans.Select(p => new PlanView(p.Id, p.Name, p.MonthlyCredits, p.Price, p.Currency, p.MinorPrices)).ToList(),
        catalog.Provider, catalog.Providers));

    private static async Task<Results<Created<PurchaseCreated>, ValidationProblem, ProblemHttpResult>> Purchase(
        PurchaseRequest? body, HttpContext http, BillingCatalog catalog, Purchases purchases, IConfiguration configuration, CancellationToken ct)
    {
        var validator = new Validator();
        var pack = body?.Pack is { } packId ? catalog.FindPack(packId) : null;
        var plan = body?.Plan is { } planId ? catalog.FindPlan(planId) : null;
        if ((body?.Pack is null) == (body?.Plan is null)) validator.Add("pack", "send exactly one of pack or plan.").Add("plan", "send exactly one of pack or plan.");
        else if (body?.Pack is not null && pack is null) validator.Add("pack", $"must be one of {string.Join(", ", catalog.Packs.Select(p => p.Id))}.");
        else if (body?.Plan is not null && plan is null) validator.Add("plan", $"must be one of {string.Join(", ", catalog.Plans.Select(p => p.Id))}.");
        var provider = ChooseProvider(body?.Provider, catalog, validator);
        if (provider is not null && validator.IsValid && (pack is not null ? !catalog.Sells(provider, pack) : !catalog.Sells(provider, plan!)))
        {
            validator.Add(pack is not null ? "pack" : "plan", $"is not sold through {provider}.");
        }
        if (!validator.IsValid) return Problems.Validation(validator.Errors);

        var result = await purchases.StartAsync(http.User.UserId(), pack, plan, PublicBaseUrl(http.Request, configuration), ct, provider);
        return result switch
        {
            PurchaseResult.Created c => TypedResults.Created($"/api/v1/payments/{c.PaymentId}", new PurchaseCreated(c.CheckoutUrl, c.PaymentId)),
            _ => ProviderUnavailable(),
        };
    }

    private static async Task<Results<Ok<PortalLink>, ProblemHttpResult>> Portal(
        HttpContext http, BillingCustomers customers, StripeApi stripe, BillingCatalog catalog, IConfiguration configuration, CancellationToken ct)
    {
        var customer = catalog.IsSandbox ? null : await customers.FindCustomerAsync(http.User.UserId(), ct);
        if (customer is null)
        {
            return Problems.Create(StatusCodes.Status409Conflict, "no-billing-customer", "No billing account.",
                "The customer portal opens once you have subscribed to a plan with Stripe.");
        }
        var result = await stripe.CreatePortalSessionAsync(customer, $"{PublicBaseUrl(http.Request, configuration)}/billing/return", ct);
        return result is StripeResult<Stripe.BillingPortal.Session>.Ok { Value.Url: { } url } ? TypedResults.Ok(new PortalLink(url)) : ProviderUnavailable();
    }

    private static async Task<Results<Ok<PaymentPage>, ValidationProblem>> ListPayments(HttpContext http, PaymentStore payments, int? limit, string? cursor, CancellationToken ct)
    {
        var validator = new Validator();
        var (size, before) = validator.Page(limit, cursor, 20, 100);
        if (!validator.IsValid) return Problems.Validation(validator.Errors);
        var rows = await payments.ListAsync(http.User.UserId(), before, size + 1, ct);
        var page = rows.Take(size).Select(View).ToList();
        return TypedResults.Ok(new PaymentPage(page, rows.Count > size ? page[^1].Id.ToString() : null));
    }

    /// <summary>One of the caller's payments; a pending TrueLayer payment's status is read from TrueLayer first.</summary>
    private static async Task<Results<Ok<PaymentView>, ProblemHttpResult>> GetPayment(Guid id, HttpContext http, PaymentStore payments,
        TrueLayerStatusReads statusReads, CancellationToken ct)
    {
        if (await payments.GetAsync(id, ct) is not { } payment || payment.UserId != http.User.UserId()) return Problems.NotFound("payment");
        await statusReads.RefreshAsync(payment, ct);
        return TypedResults.Ok(View(await payments.GetAsync(id, ct) ?? payment));
    }

    private static PaymentView View(PaymentRecord p) => new(p.Id, p.Kind, p.Product, p.Credits, p.Amount, p.Currency, p.Status, p.Provider,
        p.RefundedAmount, p.CreatedAt, p.PaidAt, p.FailureReason);

    /// <summary>The named provider if it is configured; with none named, the only one configured.</summary>
    private static string? ChooseProvider(string? named, BillingCatalog catalog, Validator validator)
    {
        var offered = catalog.Providers;
        if (named is null)
        {
            if (offered.Count == 1) return offered[0];
            validator.Add("provider", $"is required when several payment providers are configured: send one of {string.Join(", ", offered)}.");
            return null;
        }
        if (catalog.Offers(named)) return named;
        validator.Add("provider", $"must be one of {string.Join(", ", offered)} (the providers configured here).");
        return null;
    }

    /// <summary>The address browsers reach this server at: App:PublicBaseUrl, else the request's own.</summary>
    internal static string PublicBaseUrl(HttpRequest request, IConfiguration configuration) =>
        (configuration["App:PublicBaseUrl"] is { Length: > 0 } configured ? configured : $"{request.Scheme}://{request.Host}{request.PathBase}").TrimEnd('/');

    private static ProblemHttpResult ProviderUnavailable() =>
        Problems.Create(StatusCodes.Status502BadGateway, "payment-provider-error", "Payment provider error.",
            "The payment provider did not accept the request; nothing was charged. Try again shortly.");
}
