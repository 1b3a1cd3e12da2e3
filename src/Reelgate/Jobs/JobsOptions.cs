namespace Reelgate.Jobs;

public sealed class JobsOptions
{
    public const string Section = "Jobs";
    /// <summary>Queued or running jobs a user may have at once (env MAX_CONCURRENT_JOBS).</summary>
    public int MaxActivePerUser { get; set; } = 5;
    /// <summary>Jobs one worker process runs at once; 0 means one per core.</summary>
    public int WorkerConcurrency { get; set; }
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(60);
    public int MaxAttempts { get; set; } = 3;
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>Where jobs download assets and render; cleaned after each job.</summary>
    public string WorkDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "reelgate-jobs");
    /// <summary>How long idle workers wait for a NOTIFY before polling anyway.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
}
