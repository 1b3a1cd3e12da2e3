using Microsoft.Extensions.Options;
using Npgsql;
using Reelgate.Credits;
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
}

/// <summary>Validates an Edit, prices it from its real duration, holds the credits and queues the job in one transaction.</summary>
public sealed class RenderSubmission(
    NpgsqlDataSource db, UrlGuard guard, AssetFetcher fetcher, MediaProbe probe, RenderLimits limits, IOptions<JobsOptions> options)
{
    /// <param name="provider">local, or an upstream (shotstack) that renders the Edit itself and may use features the local renderer lacks.</param>
    public async Task<SubmitResult> SubmitAsync(Guid userId, string json, CancellationToken ct, string provider = "local")
    {
        var local = provider == "local";
        var parsed = local ? EditParser.Parse(json, limits) : EditParser.ParseForForwarding(json, limits);
        if (parsed.Edit is not { } edit) return new SubmitResult.Invalid(new Dictionary<string, string[]>(parsed.Errors));

        var paths = AssetPaths.ByUrl(parsed.MergedJson ?? json);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        // A forwarded Edit's assets are fetched by the upstream, not by us.
        foreach (var url in local ? EditAssets.Urls(edit) : [])
        {
            var verdict = await guard.ValidateAsync(new Uri(url), ct);
            if (!verdict.IsAllowed) errors[paths.GetValueOrDefault(url, "timeline")] = [$"cannot be fetched: {verdict.Reason}"];
        }
        if (edit.Callback is { } callback && await guard.ValidateAsync(new Uri(callback), ct) is { IsAllowed: false } refused)
        {
            errors["callback"] = [$"cannot be called: {refused.Reason}"];
        }
        if (errors.Count > 0) return new SubmitResult.Invalid(errors);

        var durations = new Dictionary<string, double>(StringComparer.Ordinal);
        var timeline = TimelineResolver.Resolve(edit, durations, limits);
        if (timeline.DependsOnMediaDurations)
        {
            foreach (var url in EditAssets.MediaUrls(edit))
            {
                try
                {
                    var file = await fetcher.DownloadCachedAsync(new Uri(url), cancellationToken: ct);
                    durations[url] = (await probe.ProbeAsync(file.Path, ct)).DurationSeconds;
                }
                catch (FetchException ex)
                {
                    errors[paths.GetValueOrDefault(url, "timeline")] = [$"could not be fetched to measure its length: {ex.Message}"];
                }
                catch (RenderFailedException)
                {
                    errors[paths.GetValueOrDefault(url, "timeline")] = ["is not a media file ffprobe can read."];
                }
            }
            if (errors.Count > 0) return new SubmitResult.Invalid(errors);
            timeline = TimelineResolver.Resolve(edit, durations, limits);
        }
        if (!timeline.IsValid) return new SubmitResult.Invalid(new Dictionary<string, string[]>(timeline.Errors));

        var quote = Pricing.Render(timeline.TotalSeconds, timeline.IsStill);
        return await QueueAsync(userId, provider, parsed.MergedJson ?? json, edit.Merge.Count > 0 ? json : null, quote, edit.Callback, ct);
    }

    private async Task<SubmitResult> QueueAsync(Guid userId, string provider, string request, string? unmerged, decimal quote, string? callback, CancellationToken ct)
    {
        var jobId = Guid.CreateVersion7();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        // The hold locks the account row, which also serialises the active-job count per user.
        var hold = await JobCredits.HoldAsync(connection, tx, userId, jobId, quote, ct);
        if (hold is LedgerResult.Insufficient insufficient) return new SubmitResult.InsufficientCredits(quote, insufficient.Available);
        var limit = options.Value.MaxActivePerUser;
        if (await JobStore.CountActiveAsync(connection, tx, userId, ct) >= limit) return new SubmitResult.TooManyActiveJobs(limit);

        var job = new JobRecord(jobId, userId, "render", JobStatus.Queued, 0, provider, request, quote, null, null, null, 0,
            options.Value.MaxAttempts, callback, DateTime.UtcNow, DateTime.UtcNow, null);
        await JobStore.InsertAsync(connection, tx, job, ct);
        if (unmerged is not null) await ShotstackEditSources.InsertAsync(connection, tx, jobId, unmerged, ct);
        await tx.CommitAsync(ct);
        return new SubmitResult.Accepted(jobId, quote);
    }
}
