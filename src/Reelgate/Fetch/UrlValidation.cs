namespace Reelgate.Fetch;

/// <summary>Whether a URL may be fetched, and if not, a reason fit to show the user.</summary>
public sealed record UrlValidation(bool IsAllowed, string? Reason)
{
    public static UrlValidation Allowed { get; } = new(true, null);

    public static UrlValidation Refused(string reason) => new(false, reason);
}
