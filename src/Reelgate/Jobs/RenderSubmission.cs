using Microsoft.Extensions.Options;
using Npgsql;
using Reelgate.Fetch;
using Reelgate.Rendering;
using Reelgate.Shotstack;

namespace Reelgate.Jobs;

public abstract record SubmitResult
{
    public sealed record Accepted(Guid JobId, decimal Held) : SubmitResult;
    public sealed record Invalid(IDictionary<string, string[]> Errors) : SubmitResult;
    public sealed record InsufficientCredits(decimal Required, decimal Available) : SubmitResult;
    public sealed record TooManyActiveJobs(int Limit) : SubmitResult;
    public sealed record OutstandingBalance(decimal Owed) : SubmitResult;
}

public abstract record QuoteResult
{
    public sealed record Priced(decimal Credits, double Seconds) : QuoteResult;
    public sealed record Invalid(IDictionary<string, string[]> Errors) : QuoteResult;
}

/// <summary>Validates an Edit, prices it from its real duration, holds the credits and queues the job in one transaction.</summary>
public sealed class RenderSubmission(
    JobAdmission admission, UrlGuard guard, AssetFetcher fetcher, MediaProbe probe, RenderLimits limits, IOptions<JobsOptions> options,
    IServiceProvider services)
{
    /// <param name="provider">
    /// local; an upstream (shotstack) that renders the Edit itself and may use features the local renderer lacks; or auto,
    /// which picks one of the two for this Edit.
    /// </param>
    public async Task<SubmitResult> SubmitAsync(Guid userId, string json, CancellationToken ct, string provider = RenderProviders.Local)
    {
        var (chosen, reason) = provider == RenderProviders.Auto ? Choose(json) : (provider, null);
        var (priced, errors) = await PriceAsync(json, chosen, ct);
        if (priced is null) return new SubmitResult.Invalid(errors!);
        return await QueueAsync(userId, chosen, priced.Request, priced.Unmerged, priced.Quote, priced.Callback, reason, ct);
    }

    /// <summary>Runs the same validation and pricing as <see cref="SubmitAsync"/> without holding credits or queueing.</summary>
    public async Task<QuoteResult> QuoteAsync(string json, CancellationToken ct, string provider = RenderProviders.Local)
    {
        var chosen = provider == RenderProviders.Auto ? Choose(json).Provider : provider;
        var (priced, errors) = await PriceAsync(json, chosen, ct);
        return priced is null ? new QuoteResult.Invalid(errors!) : new QuoteResult.Priced(priced.Quote, priced.Seconds);
    }

    /// <summary>
    /// Local when the local renderer draws every part of the Edit within its limits; otherwise Shotstack, when it is
    /// configured, with the first thing the local renderer lacks as the reason. An Edit with real errors goes the way
    /// that reports only those: its schema errors from the forwarding parse, its asset refusals from the local path.
    /// </summary>
    private (string Provider, string? Reason) Choose(string json)
    {
        if (!RenderProviders.CanForward(services)) return (RenderProviders.Local, null);
        var local = EditParser.Parse(json, limits);
        if (local.Edit is { } edit)
        {
            return RenderBudget.Check(edit, limits) is { Count: > 0 } over
                ? (RenderProviders.Shotstack, $"Sent to Shotstack: beyond the local renderer's limits ({Describe(over)})")
                : (RenderProviders.Local, "Rendered here: the local renderer draws every part of this Edit");
        }
        return (RenderProviders.Shotstack, $"Sent to Shotstack: the local renderer cannot draw it ({Describe(local.Errors)})");
    }

    private static string Describe(IReadOnlyDictionary<string, string[]> errors) =>
        errors.First() is var (path, messages) ? $"{path}: {messages.FirstOrDefault()}" : "";

    private async Task<(Priced? Priced, IDictionary<string, string[]>? Errors)> PriceAsync(string json, string provider, CancellationToken ct)
    {
        var local = provider == "local";
        var parsed = local ? EditParser.Parse(json, limits) : EditParser.ParseForForwarding(json, limits);
        if (parsed.Edit is not { } edit) return (null, new Dictionary<string, string[]>(parsed.Errors));
        if (local && RenderBudget.Check(edit, limits) is { Count: > 0 } overBudget) return (null, new Dictionary<string, string[]>(overBudget));

        // Where each URL was written is only needed to name a refusal, so the Edit is walked for it only then.
        var paths = new Lazy<IReadOnlyDictionary<string, string>>(() => AssetPaths.ByUrl(parsed.MergedJson ?? json));
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        // A forwarded Edit's assets are fetched by the upstream, not by us.
        foreach (var url in local ? EditAssets.Urls(edit) : [])
        {
            var verdict = await guard.ValidateAsync(new Uri(url), ct);
            if (!verdict.IsAllowed) errors[paths.Value.GetValueOrDefault(url, "timeline")] = [$"cannot be fetched: {verdict.Reason}"];
        }
        if (edit.Callback is { } callback && await guard.ValidateAsync(new Uri(callback), ct) is { IsAllowed: false } refused)
        {
            errors["callback"] = [$"cannot be called: {refused.Reason}"];
        }
        if (errors.Count > 0) return (null, errors);

        var durations = new Dictionary<string, double>(StringComparer.Ordinal);
        var timeline = TimelineResolver.Resolve(edit, durations, limits);
        if (timeline.DependsOnMediaDurations)
        {
            var accepted = EditAssets.AcceptedKinds(edit);
            foreach (var url in EditAssets.MediaUrls(edit))
            {
                try
                {
                    var file = await fetcher.DownloadCachedAsync(new Uri(url), new FetchRequest { AcceptedKinds = accepted[url] }, ct);
                    durations[url] = (await probe.ProbeAsync(file.Path, ct)).DurationSeconds;
                }
                catch (FetchException ex)
                {
                    errors[paths.Value.GetValueOrDefault(url, "timeline")] = [$"could not be fetched to measure its length: {ex.Message}"];
                }
                catch (RenderFailedException)
                {
                    errors[paths.Value.GetValueOrDefault(url, "timeline")] = ["is not a media file ffprobe can read."];
                }
            }
            if (errors.Count > 0) return (null, errors);
            timeline = TimelineResolver.Resolve(edit, durations, limits);
        }
        if (!timeline.IsValid) return (null, new Dictionary<string, string[]>(timeline.Errors));

        var quote = local ? Pricing.Render(timeline.TotalSeconds, timeline.IsStill, timeline.Clips.Count) : Pricing.Render(timeline.TotalSeconds, timeline.IsStill);
        return (new Priced(parsed.MergedJson ?? json, edit.Merge.Count > 0 ? json : null, quote, timeline.TotalSeconds, edit.Callback), null);
    }

    private sealed record Priced(string Request, string? Unmerged, decimal Quote, double Seconds, string? Callback);

    private Task<SubmitResult> QueueAsync(
        Guid userId, string provider, string request, string? unmerged, decimal quote, string? callback, string? reason, CancellationToken ct)
    {
        var jobId = Guid.CreateVersion7();
        var job = new JobRecord(jobId, userId, "render", JobStatus.Queued, 0, provider, request, quote, null, null, null, 0,
            options.Value.MaxAttempts, callback, DateTime.UtcNow, DateTime.UtcNow, null);
        var alongside = new List<NpgsqlBatchCommand>();
        if (unmerged is not null) alongside.Add(ShotstackEditSources.InsertCommand(jobId, unmerged));
        if (reason is not null) alongside.Add(JobStore.EventCommand(jobId, JobStatus.Queued, reason));
        return admission.QueueAsync(job, options.Value.MaxActivePerUser, ct, [.. alongside]);
    }
}
