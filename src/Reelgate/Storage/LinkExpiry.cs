namespace Reelgate.Storage;

/// <summary>When a download link ends: the lifetime asked for, at most a day, and never past the object's retention.</summary>
public static class LinkExpiry
{
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(24);

    /// <param name="retentionEnd">The object's own retention end, when the caller knows it.</param>
    /// <param name="retentionHours">The configured retention (0 keeps forever), applied from now when no end is given.</param>
    /// <exception cref="ArgumentOutOfRangeException">The lifetime is not positive, or the retention has already ended.</exception>
    public static DateTimeOffset Compute(DateTimeOffset now, TimeSpan lifetime, DateTimeOffset? retentionEnd, double retentionHours)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        var expires = now + (lifetime < MaxLifetime ? lifetime : MaxLifetime);
        var cap = retentionEnd ?? (retentionHours > 0 ? now.AddHours(retentionHours) : null);
        if (cap < expires)
        {
            expires = cap.Value;
        }
        // Signed links carry whole seconds.
        expires = DateTimeOffset.FromUnixTimeSeconds(expires.ToUnixTimeSeconds());
        return expires > now
            ? expires
            : throw new ArgumentOutOfRangeException(nameof(retentionEnd), retentionEnd, "The object's retention has ended; it has no download link.");
    }
}
