namespace Reelgate.Accounts;

public sealed class AccountOptions
{
    public const string Section = "Accounts";
    public int MinPasswordLength { get; set; } = 10;
    public int MaxFailedLogins { get; set; } = 5;
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);
}
