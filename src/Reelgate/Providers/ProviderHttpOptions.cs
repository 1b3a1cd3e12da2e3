namespace Reelgate.Providers;

/// <summary>Timeouts, retries and polling shared by every upstream's options class.</summary>
public abstract class ProviderHttpOptions
{
    public string BaseUrl { get; set; } = "";

    public string ApiKey { get; set; } = "";

    /// <summary>One HTTP attempt; a slower answer counts as a timeout and is retried where that is safe.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries of one call after a 5xx, 429 or timeout, with exponential backoff and jitter.</summary>
    public int Retries { get; set; } = 3;

    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The first wait between status polls; it doubles while nothing changes, up to 16 times this.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Jobs submitted here and not yet finished, over all instances; 0 for no limit. Jobs past it wait their turn.</summary>
    public int MaxInFlight { get; set; }

    /// <summary>Requests per second to this upstream, over all instances (its quota); 0 for no limit.</summary>
    public double MaxRequestsPerSecond { get; set; }
}
