namespace Reelgate.Credits;

public static class LedgerKinds
{
    public const string Purchase = "purchase";
    public const string Grant = "grant";
    public const string Subscription = "subscription";
    public const string Referral = "referral";
    public const string Hold = "hold";
    public const string Capture = "capture";
    public const string Release = "release";
    public const string Adjustment = "adjustment";
    public const string Refund = "refund";
    public const string Expiry = "expiry";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
        { Purchase, Grant, Subscription, Referral, Hold, Capture, Release, Adjustment, Refund, Expiry };
}

/// <summary>One change to an account: <paramref name="Amount"/> moves `available`, <paramref name="HeldAmount"/> moves `held`.</summary>
public sealed record LedgerOperation(
    Guid UserId,
    string Kind,
    decimal Amount,
    decimal HeldAmount,
    string OperationKey,
    Guid? JobId = null,
    Guid? PaymentId = null,
    Guid? ActorId = null,
    string? Reason = null);

public sealed record LedgerEntry(
    Guid Id,
    Guid UserId,
    string Kind,
    decimal Amount,
    decimal HeldAmount,
    decimal AvailableAfter,
    decimal HeldAfter,
    string OperationKey,
    Guid? JobId,
    Guid? PaymentId,
    Guid? ActorId,
    string? Reason,
    DateTime CreatedAt);

public sealed record Balance(decimal Available, decimal Held);

public sealed record CreditsSummary(decimal Available, decimal Held, string? Plan);

public abstract record LedgerResult
{
    public sealed record Applied(LedgerEntry Entry) : LedgerResult;
    /// <summary>The operation key was used before; nothing changed.</summary>
    public sealed record AlreadyApplied(LedgerEntry Entry) : LedgerResult;
    public sealed record Insufficient(decimal Required, decimal Available) : LedgerResult;
}
