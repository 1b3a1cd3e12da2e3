namespace Reelgate.Accounts;

public sealed class AccountOptions
{
    public const string Section = "Accounts";
    public int MinPasswordLength { get; set; } = 10;
    public int MaxFailedLogins { get; set; } = 5;
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Credits a new account starts with, granted once through the ledger, so a newcomer can try one clip.</summary>
    public decimal SignupCredits { get; set; } = 1m;
}
