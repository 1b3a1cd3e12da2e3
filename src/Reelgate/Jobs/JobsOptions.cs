namespace Reelgate.Jobs;

public sealed class JobsOptions
{
    public const string Section = "Jobs";
    /// <summary>Queued or running jobs a user may have at once (env MAX_CONCURRENT_JOBS).</summary>
    public int MaxActivePerUser { get; set; } = 5;
    /// <summary>Local jobs (ffmpeg) one worker process runs at once; 0 means one per core.</summary>
    public int WorkerConcurrency { get; set; }
    /// <summary>Steps of remote jobs one process runs at once; parked jobs between steps count for nothing.</summary>
    public int RemoteConcurrency { get; set; } = 256;
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(60);
    /// <summary>How often a worker process tells the others it is alive.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(3);
    /// <summary>A worker silent this long is dead, and its jobs are taken over before their leases end.</summary>
    public TimeSpan WorkerTimeout { get; set; } = TimeSpan.FromSeconds(12);
    public int MaxAttempts { get; set; } = 3;
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>Where jobs download assets and render; cleaned after each job.</summary>
    public string WorkDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "reelgate-jobs");
    /// <summary>How long idle workers wait for a NOTIFY before polling anyway.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
}
