using Microsoft.Extensions.Options;
using Reelgate.Generation;
using Reelgate.Providers;
using Reelgate.Telemetry;

namespace Reelgate.Jobs;

/// <summary>How a step of a remote job ended: to be parked until a next check, parked by the step itself, or over (final or ended elsewhere).</summary>
public abstract record StepEnd
{
    /// <summary>To be parked; <paramref name="Moved"/> is what the status read found changed, written with the park.</summary>
    public sealed record Parked(TimeSpan After, int PollStep, StatusMove? Moved = null) : StepEnd;
    /// <summary>Parked by the step itself, with its answer stored, until a check <paramref name="After"/> from now.</summary>
    public sealed record ParkedItself(TimeSpan After) : StepEnd;
    public sealed record Over : StepEnd;
}

/// <summary>An upstream status that moved: its word and progress, and our status with the event's message when ours moves too.</summary>
public sealed record StatusMove(string UpstreamStatus, double? Progress, string? Status, string? Message);

/// <summary>
/// Runs one short step of a job on an upstream: submit once (the id stored before anything else), or read its status
/// once, or copy its output and settle. Between steps the job is parked in the database, holding nothing here.
/// The upstream's states are translated once, at this edge, into our own. A resumed job never submits twice.
/// </summary>
public sealed class ProviderJobRunner(
    IEnumerable<IProviderAdapter> adapters, JobQueue queue, JobUpstream upstream, ProviderOutputs outputs,
    IOptions<ProvidersOptions> providers, IOptions<GenerationOptions> generation, ILogger<ProviderJobRunner> logger)
{
    private static readonly StepEnd Over = new StepEnd.Over();

    public async Task<StepEnd> StepAsync(RemoteJob job, Guid worker, CancellationToken ct)
    {
        var adapter = adapters.FirstOrDefault(a => a.Name == job.Provider && a.IsConfigured)
            ?? throw new JobFailedException("provider-unavailable", $"Provider '{job.Provider}' is not configured on this deployment.");
        var timeout = TimeSpan.FromSeconds(job.Kind == "generation" ? generation.Value.TimeoutSeconds : providers.Value.RenderTimeoutSeconds);
        if (DateTime.UtcNow >= DateTime.SpecifyKind(job.CreatedAt, DateTimeKind.Utc) + timeout) await TimeOutAsync(adapter, job.UpstreamId, timeout);
        try
        {
            return job.UpstreamId is { } upstreamId
                ? await ReadStatusAsync(job, worker, adapter, upstreamId, ct)
                : await SubmitAsync(job, worker, adapter, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await CancelUpstreamIfCanceledAsync(job, adapter);
            throw;
        }
    }

    private async Task<StepEnd> SubmitAsync(RemoteJob job, Guid worker, IProviderAdapter adapter, CancellationToken ct)
    {
        using var step = ReelgateTelemetry.Step("upstream.submit", job.Id, job.Kind, job.Provider);
        try
        {
            if (job.UpstreamSubmittedAt is not null)
            {
                // An earlier submit may have created an upstream job whose answer never got stored. Submitting again
                // could create (and bill) a second one, so wait for its callback, which names it.
                if (!adapter.CallsBack)
                {
                    throw new JobFailedException("upstream-unknown",
                        $"A submit to {adapter.Name} was interrupted before its answer was stored, and {adapter.Name} cannot be asked which job it created; not submitting again.");
                }
                var waited = DateTime.UtcNow - DateTime.SpecifyKind(job.UpstreamSubmittedAt.Value, DateTimeKind.Utc);
                if (waited > providers.Value.UnconfirmedSubmitTimeout)
                {
                    throw new JobFailedException("upstream-unknown",
                        $"A submit to {adapter.Name} was interrupted and {adapter.Name} never confirmed a job for it within {providers.Value.UnconfirmedSubmitTimeout.TotalSeconds:0} s; not submitting again.");
                }
                return Backoff(adapter, job.PollStep);
            }
            var token = CallbackTokens.Create();
            var withdrawn = false;
            // The mark is committed as the body is about to leave, so a death before it proves the upstream got nothing.
            async Task<bool> MarkAsync(CancellationToken _)
            {
                if (await upstream.MarkSubmittingAsync(job.Id, worker, CallbackTokens.Hash(token, adapter.CallbackKey), $"Submitting to {adapter.Name}")) return true;
                withdrawn = true;
                return false;
            }
            var result = await adapter.SubmitAsync(new ProviderSubmission(job.Id, job.Kind, job.Request, CallbackUrl(adapter, job.Id, token), MarkAsync)
            {
                UserId = job.UserId,
                CreatedAt = job.CreatedAt,
            }, ct);
            if (withdrawn) return Over;
            switch (result)
            {
                case ProviderResult.Accepted accepted:
                    var first = adapter.PollInterval;
                    switch (await upstream.AcceptAndParkAsync(job, worker, accepted.UpstreamId, accepted.Status.Raw, first))
                    {
                        case Acceptance.Parked:
                            return new StepEnd.ParkedItself(first);
                        case Acceptance.StoredBefore:
                            return new StepEnd.Parked(first, 0);
                        default:
                            logger.LogWarning("Job {JobId} ended before upstream id {UpstreamId} could be stored; canceling it upstream", job.Id, accepted.UpstreamId);
                            await adapter.CancelAsync(accepted.UpstreamId, CancellationToken.None);
                            return Over;
                    }
                case ProviderResult.Rejected rejected:
                    throw new JobFailedException("upstream-rejected", $"{adapter.Name} refused the job: {rejected.Reason}");
                case ProviderResult.Failed failed:
                    throw new JobFailedException("upstream-failed", failed.Reason);
                case ProviderResult.Transient { MayHaveAccepted: true } lost:
                    step.Failed("upstream-unanswered", lost.Reason);
                    logger.LogWarning("Submit of job {JobId} to {Provider} got no answer ({Reason}); waiting for its callback instead of submitting again",
                        job.Id, adapter.Name, lost.Reason);
                    return Backoff(adapter, job.PollStep);
                case ProviderResult.Transient transient:
                    step.Failed("upstream-busy", transient.Reason);
                    await upstream.ClearSubmittingAsync(job.Id, worker, ct);
                    var wait = transient.RetryAfter ?? Wait(adapter, job.PollStep);
                    await queue.AdvanceAsync(job.Id, worker, JobStatus.Queued,
                        $"{adapter.Name} is busy ({transient.Reason}); submitting again in {wait.TotalSeconds:0.#} s", ct);
                    return new StepEnd.Parked(wait, job.PollStep + 1);
                default:
                    throw new InvalidOperationException($"Unexpected submit result {result}");
            }
        }
        catch (Exception ex) when (step.Failed(ex))
        {
            throw;
        }
    }

    private async Task<StepEnd> ReadStatusAsync(RemoteJob job, Guid worker, IProviderAdapter adapter, string upstreamId, CancellationToken ct)
    {
        using var step = ReelgateTelemetry.Step("upstream.poll", job.Id, job.Kind, job.Provider);
        try
        {
            var result = await adapter.GetStatusAsync(upstreamId, ct);
            switch (result)
            {
                case ProviderResult.Accepted { Status: var status }:
                    // A status that moves is likely to move again soon, so polling starts over from the short interval.
                    if (status.Raw == job.UpstreamStatus && status.Phase != UpstreamPhase.Succeeded) return Backoff(adapter, job.PollStep);
                    var ours = Ours(status) is var next && next != job.Status ? next : null;
                    var move = new StatusMove(status.Raw, status.Progress is { } p ? p * 0.9 : null, ours, ours is null ? null : $"{adapter.Name}: {status.Raw}");
                    if (status.Phase == UpstreamPhase.Succeeded)
                    {
                        if (status.Raw != job.UpstreamStatus) await upstream.SetStatusAsync(job.Id, move.UpstreamStatus, move.Progress, ct);
                        if (move.Status is { } saving) await queue.AdvanceAsync(job.Id, worker, saving, move.Message!, ct);
                        await outputs.CompleteAsync(job.ToRecord(), worker, adapter, upstreamId, status, ct);
                        return Over;
                    }
                    // The move is written with the park, in one statement.
                    return new StepEnd.Parked(Wait(adapter, 0), 1, move);
                case ProviderResult.Failed failed:
                    throw new JobFailedException("upstream-failed", failed.Reason);
                case ProviderResult.Rejected rejected:
                    throw new JobFailedException("upstream-rejected", $"{adapter.Name} refused the status request: {rejected.Reason}");
                case ProviderResult.Transient transient:
                    step.Failed("upstream-busy", transient.Reason);
                    logger.LogInformation("Status of job {JobId} unavailable from {Provider}: {Reason}", job.Id, adapter.Name, transient.Reason);
                    return Backoff(adapter, job.PollStep);
                default:
                    throw new InvalidOperationException($"Unexpected status result {result}");
            }
        }
        catch (Exception ex) when (step.Failed(ex))
        {
            throw;
        }
    }

    private static async Task TimeOutAsync(IProviderAdapter adapter, string? upstreamId, TimeSpan timeout)
    {
        if (upstreamId is not null) await adapter.CancelAsync(upstreamId, CancellationToken.None);
        throw new JobFailedException("timeout", $"{adapter.Name} did not finish within {timeout.TotalSeconds:0} s; the job was canceled there.");
    }

    private async Task CancelUpstreamIfCanceledAsync(RemoteJob job, IProviderAdapter adapter)
    {
        var link = await upstream.GetAsync(job.Id, CancellationToken.None);
        if (link is { Status: JobStatus.Canceled, UpstreamId: { } id } && await upstream.MarkUpstreamCanceledAsync(job.Id, CancellationToken.None))
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await adapter.CancelAsync(id, timeout.Token);
        }
    }

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

    private static StepEnd.Parked Backoff(IProviderAdapter adapter, int step) => new(Wait(adapter, step), step + 1);

    /// <summary>Doubling waits from the provider's poll interval, with ±25% jitter, capped at 16 times the first.</summary>
    private static TimeSpan Wait(IProviderAdapter adapter, int step) =>
        adapter.PollInterval * Math.Pow(2, Math.Clamp(step, 0, 4)) * (0.75 + Random.Shared.NextDouble() * 0.5);
}
