namespace Reelgate.Accounts;

public sealed class ReferralOptions
{
    public const string Section = "Referrals";
    public const string OnFirstPurchase = "first-purchase";
    public const string OnSignUp = "sign-up";

    /// <summary>Credits each side gets for a referral.</summary>
    public decimal Credits { get; set; } = 5m;
    /// <summary>When both sides are paid: with the referred account's first purchase, or as soon as the code is redeemed.</summary>
    public string RewardOn { get; set; } = OnFirstPurchase;
    /// <summary>Referrals a referrer is paid for; later ones are recorded and pay the referrer nothing.</summary>
    public int RewardCap { get; set; } = 50;

    public bool RewardsOnSignUp => RewardOn == OnSignUp;

    public bool IsValid => RewardOn is OnFirstPurchase or OnSignUp && RewardCap >= 0 && Credits >= 0 && decimal.Round(Credits, 2) == Credits;
}
