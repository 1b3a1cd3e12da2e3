namespace Reelgate.Storage;

/// <summary>How long stored outputs are kept (section "Storage", env STORAGE_RETENTION_HOURS).</summary>
public sealed class RetentionOptions
{
    /// <summary>Hours an output is kept after its job completes; 0 keeps outputs forever.</summary>
    public double RetentionHours { get; set; } = 24;

    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan? Retention => RetentionHours > 0 ? TimeSpan.FromHours(RetentionHours) : null;
}
