namespace Reelgate.Providers.RunPod;

/// <summary>A RunPod serverless endpoint running Wan 2.2 (env RUNPOD_API_KEY, RUNPOD_ENDPOINT_ID, WEBHOOK_RUNPOD_SECRET).</summary>
public sealed class RunPodOptions : ProviderHttpOptions
{
    public const string Section = "Providers:RunPod";

    public string EndpointId { get; set; } = "";

    /// <summary>Keys the hash of each job's webhook token, so a copy of the database alone cannot confirm a guessed token.</summary>
    public string WebhookSecret { get; set; } = "";

    /// <summary>RunPod's executionTimeout for one job (ms on the wire).</summary>
    public TimeSpan ExecutionTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a job may wait for a worker; with <see cref="ExecutionTimeout"/> it makes RunPod's ttl.</summary>
    public TimeSpan QueueTimeout { get; set; } = TimeSpan.FromMinutes(10);

    public RunPodOptions()
    {
        BaseUrl = "https://api.runpod.ai";
        // One job per worker: set it to the endpoint's max workers, so jobs beyond them wait here, in turn, not in RunPod's queue.
        MaxInFlight = 3;
    }
}
