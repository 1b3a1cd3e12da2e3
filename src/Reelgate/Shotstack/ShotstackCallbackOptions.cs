namespace Reelgate.Shotstack;

/// <summary>
/// Delivery of the Edit's `callback`, following Shotstack's documented policy: up to 10 attempts, 10 s each,
/// waiting (n+1)^3 units after the n-th failure (8 s, 27 s, 64 s …) capped at 900 s.
/// </summary>
public sealed class ShotstackCallbackOptions
{
    public const string Section = "Shotstack:Callbacks";

    public int MaxAttempts { get; set; } = 10;

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>One unit of the cubic back-off; tests shrink it.</summary>
    public TimeSpan BackoffUnit { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(900);

    /// <summary>How often the sender looks for due retries when no job has just finished.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    public int BatchSize { get; set; } = 20;

    /// <summary>The wait after failed attempt <paramref name="attempt"/> (1-based), with up to 10% jitter.</summary>
    public TimeSpan BackoffAfter(int attempt, double jitter)
    {
        var cubic = BackoffUnit * Math.Pow(attempt + 1, 3);
        var capped = cubic < MaxBackoff ? cubic : MaxBackoff;
        return capped * (1 + 0.1 * Math.Clamp(jitter, 0, 1));
    }
}
