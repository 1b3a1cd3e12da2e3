using Microsoft.Extensions.Options;

namespace Reelgate.Billing;

public sealed record Pack(string Id, decimal Credits, decimal Price, string Currency);

public sealed record Plan(string Id, string Name, decimal MonthlyCredits, decimal Price, string Currency, string? StripePriceId);

/// <summary>The packs and plans on sale, read from <see cref="BillingOptions"/>.</summary>
public sealed class BillingCatalog(IOptions<BillingOptions> options)
{
    public string Provider => options.Value.Provider!;

    public bool IsSandbox => Provider == BillingOptions.Sandbox;

    public IReadOnlyList<Pack> Packs =>
        options.Value.Packs.Select(p => new Pack(p.Key, p.Value.Credits, p.Value.Price, p.Value.Currency.ToLowerInvariant()))
            .OrderBy(p => p.Credits).ToList();

    /// <summary>Plans that can be bought here: with Stripe only those with a price id.</summary>
    public IReadOnlyList<Plan> Plans =>
        options.Value.Plans.Select(p => new Plan(p.Key, p.Value.Name ?? p.Key, p.Value.MonthlyCredits, p.Value.Price,
                (p.Value.Currency ?? "usd").ToLowerInvariant(), string.IsNullOrWhiteSpace(p.Value.StripePriceId) ? null : p.Value.StripePriceId))
            .Where(p => IsSandbox || p.StripePriceId is not null)
            .OrderBy(p => p.MonthlyCredits).ToList();

    public Pack? FindPack(string id) => Packs.FirstOrDefault(p => p.Id == id);

    public Plan? FindPlan(string? id) => id is null ? null : Plans.FirstOrDefault(p => p.Id == id);

    public Plan? FindPlanByPrice(string? priceId) => priceId is null ? null : Plans.FirstOrDefault(p => p.StripePriceId == priceId);

    /// <summary>Stripe amounts are in the currency's minor unit; the catalogue's currencies have two decimals.</summary>
    public static long MinorUnits(decimal price) => (long)decimal.Round(price * 100m, 0, MidpointRounding.AwayFromZero);
}
