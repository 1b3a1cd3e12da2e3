using Microsoft.Extensions.Options;
using Reelgate.Billing.TrueLayer;

namespace Reelgate.Billing;

public sealed record Pack(string Id, decimal Credits, decimal Price, string Currency, IReadOnlyDictionary<string, long> MinorPrices);

public sealed record Plan(string Id, string Name, decimal MonthlyCredits, decimal Price, string Currency, string? StripePriceId, IReadOnlyDictionary<string, long> MinorPrices);

/// <summary>What one provider charges for a pack or plan: in its own currency with two decimals, and in minor units.</summary>
public sealed record ChargeAmount(decimal Amount, string Currency, long MinorAmount);

/// <summary>The packs and plans on sale, read from <see cref="BillingOptions"/>, and the providers that sell them.</summary>
public sealed class BillingCatalog(IOptions<BillingOptions> options, IOptions<TrueLayerOptions> trueLayer)
{
    /// <summary>The default provider.</summary>
    public string Provider => options.Value.Provider!;

    public bool IsSandbox => Provider == BillingOptions.Sandbox;

    /// <summary>Providers a purchase may name: the sandbox alone, or Stripe and TrueLayer as configured.</summary>
    public IReadOnlyList<string> Providers => IsSandbox
        ? [BillingOptions.Sandbox]
        : [.. new[] { BillingOptions.Stripe, BillingOptions.TrueLayer }.Where(IsConfigured)];

    public bool Offers(string provider) => Providers.Contains(provider, StringComparer.Ordinal);

    public string TrueLayerCurrency => trueLayer.Value.Currency.ToLowerInvariant();

    public IReadOnlyList<Pack> Packs =>
        options.Value.Packs.Select(p => new Pack(p.Key, p.Value.Credits, p.Value.Price, p.Value.Currency.ToLowerInvariant(), Lower(p.Value.MinorPrices)))
            .OrderBy(p => p.Credits).ToList();

    /// <summary>Plans that can be bought here with some provider: Stripe needs a price id, TrueLayer a price in its currency.</summary>
    public IReadOnlyList<Plan> Plans => AllPlans.Where(p => Providers.Any(provider => Sells(provider, p))).ToList();

    public Pack? FindPack(string id) => Packs.FirstOrDefault(p => p.Id == id);

    public Plan? FindPlan(string? id) => id is null ? null : Plans.FirstOrDefault(p => p.Id == id);

    public Plan? FindPlanByPrice(string? priceId) => priceId is null ? null : Plans.FirstOrDefault(p => p.StripePriceId == priceId);

    public bool Sells(string provider, Plan plan) => provider switch
    {
        BillingOptions.Sandbox => true,
        BillingOptions.Stripe => plan.StripePriceId is not null,
        BillingOptions.TrueLayer => plan.MinorPrices.ContainsKey(TrueLayerCurrency),
        _ => false,
    };

    public bool Sells(string provider, Pack pack) => provider != BillingOptions.TrueLayer || pack.MinorPrices.ContainsKey(TrueLayerCurrency);

    /// <summary>The price a provider charges: TrueLayer in its merchant account's currency, the others in the catalogue's.</summary>
    public ChargeAmount PriceOf(string provider, decimal price, string currency, IReadOnlyDictionary<string, long> minorPrices) =>
        provider == BillingOptions.TrueLayer && minorPrices.TryGetValue(TrueLayerCurrency, out var minor)
            ? new ChargeAmount(minor / 100m, TrueLayerCurrency, minor)
            : new ChargeAmount(price, currency, MinorUnits(price));

    /// <summary>Stripe amounts are in the currency's minor unit; the catalogue's currencies have two decimals.</summary>
    public static long MinorUnits(decimal price) => (long)decimal.Round(price * 100m, 0, MidpointRounding.AwayFromZero);

    private IEnumerable<Plan> AllPlans =>
        options.Value.Plans.Select(p => new Plan(p.Key, p.Value.Name ?? p.Key, p.Value.MonthlyCredits, p.Value.Price,
                (p.Value.Currency ?? "usd").ToLowerInvariant(), string.IsNullOrWhiteSpace(p.Value.StripePriceId) ? null : p.Value.StripePriceId,
                Lower(p.Value.MinorPrices)))
            .OrderBy(p => p.MonthlyCredits);

    private bool IsConfigured(string provider) => provider switch
    {
        BillingOptions.Stripe => options.Value.StripeConfigured,
        BillingOptions.TrueLayer => trueLayer.Value.IsConfigured,
        _ => false,
    };

    private static Dictionary<string, long> Lower(Dictionary<string, long> prices) =>
        prices.Where(p => p.Value > 0).ToDictionary(p => p.Key.ToLowerInvariant(), p => p.Value, StringComparer.Ordinal);
}
