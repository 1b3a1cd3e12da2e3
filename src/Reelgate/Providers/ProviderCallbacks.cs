using Reelgate.Jobs;

namespace Reelgate.Providers;

public enum CallbackOutcome
{
    /// <summary>No job, another provider's job, or a wrong token: answered 404 and nothing changes.</summary>
    Unknown,
    /// <summary>Taken (or safely ignored: late, duplicated, about another upstream job).</summary>
    Accepted,
    /// <summary>The upstream could not be asked to confirm; the caller answers 503 so the upstream calls again.</summary>
    Retry,
}

/// <summary>
/// Inbound upstream callbacks. The token proves the URL is the one we gave; the body is never trusted: it may only
/// name the upstream job of a submit whose answer was lost, and only after the upstream confirms that job exists.
/// Otherwise a callback just wakes the worker, which re-reads the status upstream itself.
/// </summary>
public sealed class ProviderCallbacks(IEnumerable<IProviderAdapter> adapters, JobUpstream upstream, ILogger<ProviderCallbacks> logger)
{
    public async Task<CallbackOutcome> HandleAsync(string provider, string? job, string? token, string body, CancellationToken ct)
    {
        var adapter = adapters.FirstOrDefault(a => a.Name == provider);
        if (adapter is null || !Guid.TryParse(job, out var jobId) || await upstream.GetAsync(jobId, ct) is not { } link
            || link.Provider != provider || !CallbackTokens.Matches(token, link.CallbackTokenHash, adapter.CallbackKey))
        {
            return CallbackOutcome.Unknown;
        }
        if (JobStatus.IsFinal(link.Status))
        {
            logger.LogInformation("Late {Provider} callback for final job {JobId} ignored", provider, jobId);
            return CallbackOutcome.Accepted;
        }
        var named = adapter.ReadCallbackId(body);
        if (link.UpstreamId is null && named is not null && link.UpstreamSubmittedAt is not null)
        {
            switch (await adapter.GetStatusAsync(named, ct))
            {
                case ProviderResult.Accepted accepted:
                    await upstream.SetUpstreamIdAsync(jobId, named, accepted.Status.Raw, ct);
                    break;
                case ProviderResult.Failed:
                    await upstream.SetUpstreamIdAsync(jobId, named, "failed", ct);
                    break;
                case ProviderResult.Transient transient:
                    logger.LogWarning("Could not confirm {Provider} job {UpstreamId} for job {JobId}: {Reason}", provider, named, jobId, transient.Reason);
                    return CallbackOutcome.Retry;
                default:
                    logger.LogWarning("{Provider} callback for job {JobId} names {UpstreamId}, which {Provider} does not confirm", provider, jobId, named, provider);
                    return CallbackOutcome.Accepted;
            }
        }
        else if (named is not null && link.UpstreamId is not null && named != link.UpstreamId)
        {
            logger.LogWarning("{Provider} callback for job {JobId} names {UpstreamId}, not the job's upstream id; ignored", provider, jobId, named);
            return CallbackOutcome.Accepted;
        }
        await upstream.SignalAsync(jobId, ct);
        return CallbackOutcome.Accepted;
    }
}
