namespace Reelgate.Usage;

public sealed class UsageOptions
{
    public const string Section = "Usage";

    /// <summary>What one credit sells for, so credits charged can be set against provider costs.</summary>
    public decimal CreditPrice { get; set; } = 0.125m;

    public string Currency { get; set; } = "usd";

    /// <summary>Estimated provider cost per minute of output, by provider; a provider not listed costs nothing.</summary>
    public Dictionary<string, decimal> ProviderCostPerMinute { get; set; } = new(StringComparer.Ordinal);

    public decimal CostPerMinute(string provider) => ProviderCostPerMinute.GetValueOrDefault(provider);
}
