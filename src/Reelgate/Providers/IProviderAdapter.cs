namespace Reelgate.Providers;

/// <summary>What the job worker hands an adapter to submit: the job's stored request and where the upstream may call back.</summary>
/// <param name="Request">The job's request JSON: an Edit for renders, a <c>GenerationInput</c> for generations.</param>
/// <param name="BeforeSend">Called just before the submit's body leaves (pass it to <see cref="UpstreamHttp.SendAsync"/>); false withdraws it.</param>
public sealed record ProviderSubmission(Guid JobId, string Kind, string Request, Uri? CallbackUrl, Func<CancellationToken, Task<bool>>? BeforeSend = null)
{
    /// <summary>The job's owner and creation time, which name its output in storage (<c>StorageKeys.ForJobOutput</c>).</summary>
    public Guid UserId { get; init; }

    public DateTime CreatedAt { get; init; }
}

/// <summary>One upstream, as narrow as the job worker drives it. Implementations translate every answer into a <see cref="ProviderResult"/>.</summary>
public interface IProviderAdapter
{
    /// <summary>The job's provider value: shotstack, runway or runpod.</summary>
    string Name { get; }

    /// <summary>False when the deployment has no credentials for this upstream; jobs are then refused at submit.</summary>
    bool IsConfigured { get; }

    /// <summary>True when the upstream calls back with its job id, so a submit whose answer was lost can still be found.</summary>
    bool CallsBack { get; }

    /// <summary>The inbound route that receives this upstream's callbacks, or null when it has none.</summary>
    string? CallbackPath { get; }

    /// <summary>Keys the stored hash of each job's callback token.</summary>
    string CallbackKey { get; }

    /// <summary>How long to wait between status polls when no callback arrives (the first wait; later ones grow).</summary>
    TimeSpan PollInterval { get; }

    /// <summary>Jobs in flight upstream at once, over all instances; 0 for no limit.</summary>
    int MaxInFlight { get; }

    /// <summary>Requests per second the upstream's quota allows, over all instances; 0 for no limit.</summary>
    double MaxRequestsPerSecond { get; }

    Task<ProviderResult> SubmitAsync(ProviderSubmission submission, CancellationToken ct);

    /// <summary>The current status; for a finished job it carries a fresh output URL.</summary>
    Task<ProviderResult> GetStatusAsync(string upstreamId, CancellationToken ct);

    /// <summary>Best effort: asks the upstream to stop the job. Upstreams without a cancel call do nothing.</summary>
    Task CancelAsync(string upstreamId, CancellationToken ct);

    /// <summary>Reads the upstream job id from a callback body, or null when the body names none.</summary>
    string? ReadCallbackId(string body);
}
