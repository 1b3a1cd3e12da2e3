using Reelgate.Common;

namespace Reelgate.Credits;

/// <summary>What an operator's credit adjustment must satisfy, shared by the admin API and the admin pages.</summary>
public static class AdjustmentRules
{
    public const int MaxReasonLength = 500;
    public const decimal MaxAmount = 1_000_000m;

    public static Validator Check(decimal? amount, string? reason)
    {
        var validator = new Validator().Require("reason", reason).MaxLength("reason", reason, MaxReasonLength);
        if (amount is not { } value) validator.Add("amount", "is required.");
        else if (value == 0) validator.Add("amount", "must not be zero.");
        else if (decimal.Round(value, 2) != value) validator.Add("amount", "must have at most two decimals.");
        else if (Math.Abs(value) > MaxAmount) validator.Add("amount", "must be at most 1000000 credits either way.");
        return validator;
    }
}
