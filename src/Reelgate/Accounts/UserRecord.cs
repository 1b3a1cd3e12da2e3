namespace Reelgate.Accounts;

public sealed record UserRecord(
    Guid Id,
    string Email,
    string PasswordHash,
    string Role,
    string? Plan,
    string ReferralCode,
    int FailedLogins,
    DateTime? LockedUntil,
    DateTime? DisabledAt,
    DateTime CreatedAt);
