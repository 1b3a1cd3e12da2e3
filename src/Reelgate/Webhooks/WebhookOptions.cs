namespace Reelgate.Webhooks;

/// <summary>
/// Delivery of signed webhooks: each event is retried with doubling waits (one unit, two, four … capped at
/// <see cref="MaxBackoff"/>, plus up to 20% jitter) until it is delivered or <see cref="RetryWindow"/> has passed.
/// </summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>Whether this process delivers; deliveries owed meanwhile wait in the outbox for a process that does.</summary>
    public bool SenderEnabled { get; set; } = true;

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The wait after the first failed attempt; tests shrink it.</summary>
    public TimeSpan BackoffUnit { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromHours(2);

    /// <summary>How long after the event attempts go on; a retry that would fall later is not made.</summary>
    public TimeSpan RetryWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often the sender looks for due retries when no job has just finished.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    public int BatchSize { get; set; } = 20;

    /// <summary>The wait after failed attempt <paramref name="attempt"/> (1-based); <paramref name="jitter"/> in [0, 1] adds up to 20%.</summary>
    public TimeSpan BackoffAfter(int attempt, double jitter)
    {
        var doubling = BackoffUnit * Math.Pow(2, Math.Min(attempt - 1, 30));
        var capped = doubling < MaxBackoff ? doubling : MaxBackoff;
        return capped * (1 + 0.2 * Math.Clamp(jitter, 0, 1));
    }
}
