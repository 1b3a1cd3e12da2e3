namespace Reelgate.Billing;

public sealed class PackOption
{
    public decimal Credits { get; set; }
    public decimal Price { get; set; }
    public string Currency { get; set; } = "usd";
    /// <summary>Prices in other currencies' minor units (pence, cents), keyed gbp or eur; pay by bank charges these.</summary>
    public Dictionary<string, long> MinorPrices { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

public sealed class PlanOption
{
    public string? Name { get; set; }
    public decimal MonthlyCredits { get; set; }
    public decimal Price { get; set; }
    public string? Currency { get; set; }
    /// <summary>The recurring Stripe price this plan subscribes to (env STRIPE_PRICE_STARTER and so on).</summary>
    public string? StripePriceId { get; set; }
    /// <summary>Monthly prices in other currencies' minor units, keyed gbp or eur; pay by bank charges these.</summary>
    public Dictionary<string, long> MinorPrices { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>Section <c>Billing</c>: the catalogue, the provider choice and the rollover window.</summary>
public sealed class BillingOptions
{
    public const string Section = "Billing";
    public const string Stripe = "stripe";
    public const string Sandbox = "sandbox";
    public const string TrueLayer = "truelayer";

    /// <summary>Credit packs by id; configuring any replaces the defaults.</summary>
    public Dictionary<string, PackOption> Packs { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Plans by id (starter, creator, studio); configured fields override the defaults field by field.</summary>
    public Dictionary<string, PlanOption> Plans { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The default provider: stripe, truelayer or sandbox; empty picks stripe when a Stripe secret key is configured, else truelayer when TrueLayer is, else sandbox.</summary>
    public string? Provider { get; set; }

    /// <summary>Null allows the sandbox everywhere but in Production; true or false decides explicitly.</summary>
    public bool? AllowSandbox { get; set; }

    /// <summary>Months a subscription grant may stay unspent before it expires.</summary>
    public int RolloverMonths { get; set; } = 3;

    public TimeSpan ExpirySweepInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Where Stripe sends the browser back; empty uses this server's /billing/return.</summary>
    public string? ReturnUrl { get; set; }

    public static readonly IReadOnlyDictionary<string, PackOption> DefaultPacks = new Dictionary<string, PackOption>(StringComparer.Ordinal)
    {
        ["credits-50"] = new() { Credits = 50, Price = 8m, MinorPrices = Minor(700, 800) },
        ["credits-200"] = new() { Credits = 200, Price = 28m, MinorPrices = Minor(2400, 2800) },
        ["credits-1000"] = new() { Credits = 1000, Price = 120m, MinorPrices = Minor(10000, 11500) },
    };

    public static readonly IReadOnlyDictionary<string, PlanOption> DefaultPlans = new Dictionary<string, PlanOption>(StringComparer.Ordinal)
    {
        ["starter"] = new() { Name = "Starter", MonthlyCredits = 80, Price = 10m, Currency = "usd", MinorPrices = Minor(1000, 1200) },
        ["creator"] = new() { Name = "Creator", MonthlyCredits = 250, Price = 31m, Currency = "usd", MinorPrices = Minor(3100, 3600) },
        ["studio"] = new() { Name = "Studio", MonthlyCredits = 500, Price = 60m, Currency = "usd", MinorPrices = Minor(6000, 7000) },
    };

    private static Dictionary<string, long> Minor(long gbp, long eur) => new(StringComparer.OrdinalIgnoreCase) { ["gbp"] = gbp, ["eur"] = eur };

    /// <summary>Set from the Stripe section when the options are built: a secret key is configured.</summary>
    internal bool StripeConfigured { get; private set; }

    internal void ApplyDefaults(bool stripeKeyConfigured, bool trueLayerConfigured)
    {
        StripeConfigured = stripeKeyConfigured;
        if (Packs.Count == 0)
        {
            foreach (var (id, pack) in DefaultPacks)
            {
                Packs[id] = new() { Credits = pack.Credits, Price = pack.Price, Currency = pack.Currency, MinorPrices = new(pack.MinorPrices, StringComparer.OrdinalIgnoreCase) };
            }
        }
        foreach (var (id, plan) in DefaultPlans)
        {
            if (!Plans.TryGetValue(id, out var configured)) Plans[id] = configured = new();
            configured.Name ??= plan.Name;
            configured.Currency ??= plan.Currency;
            if (configured.MonthlyCredits == 0) configured.MonthlyCredits = plan.MonthlyCredits;
            if (configured.Price == 0) configured.Price = plan.Price;
            foreach (var (currency, minor) in plan.MinorPrices) configured.MinorPrices.TryAdd(currency, minor);
        }
        if (string.IsNullOrWhiteSpace(Provider)) Provider = stripeKeyConfigured ? Stripe : trueLayerConfigured ? TrueLayer : Sandbox;
        Provider = Provider.Trim().ToLowerInvariant();
    }
}

/// <summary>Section <c>Stripe</c> (env STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET).</summary>
public sealed class StripeOptions
{
    public const string Section = "Stripe";

    public string? SecretKey { get; set; }
    public string? WebhookSecret { get; set; }
    public string ApiBase { get; set; } = "https://api.stripe.com";
    public TimeSpan WebhookTolerance { get; set; } = TimeSpan.FromSeconds(300);
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>Tries per request, the first included; Stripe.net makes the retries.</summary>
    public int MaxAttempts { get; set; } = 3;
}
