using Microsoft.Extensions.Options;
using Reelgate.Generation;
using Reelgate.Providers;

namespace Reelgate.Jobs;

/// <summary>
/// Runs a job on an upstream: submit once (the id stored before anything else), follow it by callback and polling,
/// copy the output into our storage, then settle credits as local jobs do. A resumed job never submits twice.
/// </summary>
public sealed class ProviderJobRunner(
    IEnumerable<IProviderAdapter> adapters, JobQueue queue, JobUpstream upstream, UpstreamSignals signals,
    ProviderOutputs outputs, IOptions<ProvidersOptions> providers, IOptions<GenerationOptions> generation, ILogger<ProviderJobRunner> logger)
{
    public async Task RunAsync(JobRecord job, Guid worker, CancellationToken ct)
    {
        var adapter = adapters.FirstOrDefault(a => a.Name == job.Provider && a.IsConfigured)
            ?? throw new JobFailedException("provider-unavailable", $"Provider '{job.Provider}' is not configured on this deployment.");
        var timeout = TimeSpan.FromSeconds(job.Kind == "generation" ? generation.Value.TimeoutSeconds : providers.Value.RenderTimeoutSeconds);
        var deadline = DateTime.SpecifyKind(job.CreatedAt, DateTimeKind.Utc) + timeout;
        string? upstreamId = null;
        try
        {
            upstreamId = await EnsureSubmittedAsync(job, worker, adapter, deadline, ct);
            if (upstreamId is null) await TimeOutAsync(adapter, null, timeout);
            else await FollowAsync(job, worker, adapter, upstreamId, deadline, timeout, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await CancelUpstreamIfCanceledAsync(job, adapter);
            throw;
        }
    }

    /// <summary>The upstream id: stored already, learned from a callback after a lost answer, or from a new submit. Null at the deadline.</summary>
    private async Task<string?> EnsureSubmittedAsync(JobRecord job, Guid worker, IProviderAdapter adapter, DateTime deadline, CancellationToken ct)
    {
        var backoff = new Backoff(adapter.PollInterval);
        while (DateTime.UtcNow < deadline)
        {
            var link = await upstream.GetAsync(job.Id, ct) ?? throw new JobFailedException("job-missing", "The job disappeared.");
            if (link.UpstreamId is { } known) return known;
            if (link.UpstreamSubmittedAt is not null)
            {
                // An earlier submit may have created an upstream job whose answer never got stored. Submitting again
                // could create (and bill) a second one, so wait for its callback, which names it.
                if (!adapter.CallsBack)
                {
                    throw new JobFailedException("upstream-unknown",
                        $"A submit to {adapter.Name} was interrupted before its answer was stored, and {adapter.Name} cannot be asked which job it created; not submitting again.");
                }
                await signals.WaitAsync(job.Id, backoff.Next(), ct);
                continue;
            }

            var token = CallbackTokens.Create();
            if (!await upstream.MarkSubmittingAsync(job.Id, worker, CallbackTokens.Hash(token, adapter.CallbackKey), ct))
            {
                throw new OperationCanceledException("The job's lease was lost before submitting.");
            }
            await queue.AdvanceAsync(job.Id, worker, JobStatus.Queued, $"Submitting to {adapter.Name}", ct);
            var result = await adapter.SubmitAsync(new ProviderSubmission(job.Id, job.Kind, job.Request, CallbackUrl(adapter, job.Id, token)), ct);
            switch (result)
            {
                case ProviderResult.Accepted accepted:
                    if (!await upstream.SetUpstreamIdAsync(job.Id, accepted.UpstreamId, accepted.Status.Raw, CancellationToken.None))
                    {
                        logger.LogWarning("Job {JobId} ended before upstream id {UpstreamId} could be stored; canceling it upstream", job.Id, accepted.UpstreamId);
                        await adapter.CancelAsync(accepted.UpstreamId, CancellationToken.None);
                        throw new OperationCanceledException("The job ended while it was being submitted.");
                    }
                    return accepted.UpstreamId;
                case ProviderResult.Rejected rejected:
                    throw new JobFailedException("upstream-rejected", $"{adapter.Name} refused the job: {rejected.Reason}");
                case ProviderResult.Failed failed:
                    throw new JobFailedException("upstream-failed", failed.Reason);
                case ProviderResult.Transient { MayHaveAccepted: true } lost:
                    logger.LogWarning("Submit of job {JobId} to {Provider} got no answer ({Reason}); waiting for its callback instead of submitting again",
                        job.Id, adapter.Name, lost.Reason);
                    continue;
                case ProviderResult.Transient transient:
                    await upstream.ClearSubmittingAsync(job.Id, worker, ct);
                    var wait = transient.RetryAfter ?? backoff.Next();
                    await JobEventAsync(job, worker, $"{adapter.Name} is busy ({transient.Reason}); submitting again in {wait.TotalSeconds:0.#} s", ct);
                    await Task.Delay(wait, ct);
                    continue;
            }
        }
        return null;
    }

    private async Task FollowAsync(JobRecord job, Guid worker, IProviderAdapter adapter, string upstreamId, DateTime deadline, TimeSpan timeout, CancellationToken ct)
    {
        var backoff = new Backoff(adapter.PollInterval);
        var current = job.Status;
        string? lastRaw = null;
        while (DateTime.UtcNow < deadline)
        {
            var result = await adapter.GetStatusAsync(upstreamId, ct);
            switch (result)
            {
                case ProviderResult.Accepted { Status: var status }:
                    // A status that moves is likely to move again soon, so polling starts over from the short interval.
                    if (status.Raw != lastRaw) backoff.Reset();
                    lastRaw = status.Raw;
                    await upstream.SetStatusAsync(job.Id, status.Raw, status.Progress is { } p ? p * 0.9 : null, ct);
                    var ours = Ours(status);
                    if (ours != current && await queue.AdvanceAsync(job.Id, worker, ours, $"{adapter.Name}: {status.Raw}", ct)) current = ours;
                    if (status.Phase == UpstreamPhase.Succeeded)
                    {
                        await outputs.CompleteAsync(job, worker, adapter, upstreamId, status, ct);
                        return;
                    }
                    break;
                case ProviderResult.Failed failed:
                    throw new JobFailedException("upstream-failed", failed.Reason);
                case ProviderResult.Rejected rejected:
                    throw new JobFailedException("upstream-rejected", $"{adapter.Name} refused the status request: {rejected.Reason}");
                case ProviderResult.Transient transient:
                    logger.LogInformation("Status of job {JobId} unavailable from {Provider}: {Reason}", job.Id, adapter.Name, transient.Reason);
                    break;
            }
            var wait = Min(backoff.Next(), deadline - DateTime.UtcNow);
            if (wait > TimeSpan.Zero && await signals.WaitAsync(job.Id, wait, ct)) backoff.Reset();
        }
        await TimeOutAsync(adapter, upstreamId, timeout);
    }

    private static async Task TimeOutAsync(IProviderAdapter adapter, string? upstreamId, TimeSpan timeout)
    {
        if (upstreamId is not null) await adapter.CancelAsync(upstreamId, CancellationToken.None);
        throw new JobFailedException("timeout", $"{adapter.Name} did not finish within {timeout.TotalSeconds:0} s; the job was canceled there.");
    }

    private async Task CancelUpstreamIfCanceledAsync(JobRecord job, IProviderAdapter adapter)
    {
        var link = await upstream.GetAsync(job.Id, CancellationToken.None);
        if (link is { Status: JobStatus.Canceled, UpstreamId: { } id })
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await adapter.CancelAsync(id, timeout.Token);
        }
    }

    private Task JobEventAsync(JobRecord job, Guid worker, string message, CancellationToken ct) =>
        queue.AdvanceAsync(job.Id, worker, JobStatus.Queued, message, ct);

    private Uri? CallbackUrl(IProviderAdapter adapter, Guid jobId, string token)
    {
        if (adapter.CallbackPath is not { } path || providers.Value.PublicBaseUrl is not { Length: > 0 } baseUrl) return null;
        return new Uri($"{baseUrl.TrimEnd('/')}{path}?job={jobId}&token={token}");
    }

    private static string Ours(UpstreamStatus status) => status.Phase switch
    {
        UpstreamPhase.Waiting => JobStatus.Queued,
        UpstreamPhase.Succeeded => JobStatus.Saving,
        _ => status.Raw == "fetching" ? JobStatus.Fetching : JobStatus.Rendering,
    };

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>Doubling waits with ±25% jitter, capped at 16 times the first.</summary>
    private sealed class Backoff(TimeSpan first)
    {
        private int _step;

        public TimeSpan Next()
        {
            var wait = first * Math.Pow(2, Math.Min(_step++, 4));
            return wait * (0.75 + Random.Shared.NextDouble() * 0.5);
        }

        public void Reset() => _step = 0;
    }
}
