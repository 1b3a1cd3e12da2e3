using System.Text.Json.Serialization;
using Reelgate.Credits;
using Reelgate.Generation;
using Reelgate.Storage;

namespace Reelgate.Jobs;

public sealed record JobCreditsView(decimal Held, decimal Charged, decimal Released);
public sealed record JobErrorView(string Code, string Message);
public sealed record JobOutputView(string Kind, string Url, DateTime ExpiresAt);
public sealed record JobEventView(DateTime At, string Status, string Message);
public sealed record JobView(
    Guid Id, string Kind, string Status, double Progress, string Provider, DateTime CreatedAt, DateTime UpdatedAt, DateTime? CompletedAt,
    double? Duration, JobCreditsView Credits, JobErrorView? Error, IReadOnlyList<JobOutputView> Outputs, IReadOnlyList<JobEventView> Events,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Seed = null);

/// <summary>Builds the API's job object: credits from the ledger, signed output links, events.</summary>
public sealed class JobViews(JobStore jobs, IObjectStore store, Npgsql.NpgsqlDataSource db)
{
    public static readonly TimeSpan LinkLifetime = TimeSpan.FromHours(24);

    public async Task<JobView> BuildAsync(JobRecord job, bool withEvents, CancellationToken ct)
    {
        var view = (await BuildManyAsync([job], ct))[0];
        return withEvents
            ? view with { Events = (await jobs.EventsAsync(job.Id, ct)).Select(e => new JobEventView(e.At, e.Status, e.Message)).ToList() }
            : view;
    }

    /// <summary>Job objects without events for a page of jobs: credits and outputs are read for all of them at once.</summary>
    public async Task<List<JobView>> BuildManyAsync(IReadOnlyList<JobRecord> page, CancellationToken ct)
    {
        if (page.Count == 0) return [];
        var ids = page.Select(job => job.Id).ToList();
        Dictionary<Guid, Settlement> settlements;
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            settlements = await JobCredits.SummariesAsync(connection, ids, ct);
        }
        var outputs = await jobs.OutputsAsync(ids, ct);
        var views = new List<JobView>(page.Count);
        foreach (var job in page)
        {
            var settlement = settlements.GetValueOrDefault(job.Id) ?? new Settlement(0, 0, 0);
            views.Add(new JobView(job.Id, job.Kind, job.Status, Math.Round(job.Progress, 3), job.Provider, job.CreatedAt, job.UpdatedAt, job.CompletedAt,
                job.Duration, new JobCreditsView(settlement.Held, settlement.Charged, settlement.Released),
                job.ErrorCode is null ? null : new JobErrorView(job.ErrorCode, job.ErrorMessage ?? ""),
                await LinksAsync(outputs.GetValueOrDefault(job.Id) ?? [], ct), [],
                job.Kind == "generation" ? GenerationInput.FromJson(job.Request).Seed : null));
        }
        return views;
    }

    /// <summary>Signed links to a job's stored outputs.</summary>
    public async Task<List<JobOutputView>> OutputLinksAsync(Guid jobId, CancellationToken ct) =>
        await LinksAsync(await jobs.OutputsAsync(jobId, ct), ct);

    /// <summary>A link never outlives the stored file; one whose retention has just ended is left out.</summary>
    private async Task<List<JobOutputView>> LinksAsync(IEnumerable<JobOutput> stored, CancellationToken ct)
    {
        var outputs = new List<JobOutputView>();
        foreach (var output in stored)
        {
            var retentionEnd = output.ExpiresAt is { } end ? new DateTimeOffset(DateTime.SpecifyKind(end, DateTimeKind.Utc)) : (DateTimeOffset?)null;
            if (retentionEnd <= DateTimeOffset.UtcNow.AddSeconds(1)) continue;
            var link = await store.GetDownloadLinkAsync(output.StorageKey, LinkLifetime, retentionEnd, ct);
            outputs.Add(new JobOutputView(output.Kind, link.Url.ToString(), (link.ExpiresAt ?? DateTimeOffset.UtcNow + LinkLifetime).UtcDateTime));
        }
        return outputs;
    }
}
