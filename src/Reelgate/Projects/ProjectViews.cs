using Reelgate.Jobs;
using Reelgate.Storage;

namespace Reelgate.Projects;

public sealed record LinkView(string Url, DateTime ExpiresAt);
public sealed record ClipErrorView(string Code, string Message);
public sealed record ClipView(
    Guid Id, Guid ProjectId, int Order, string Status, bool Approved, bool Regenerating, string? Prompt, int DurationSec, decimal Price, Guid JobId,
    LinkView Image, LinkView? Video, double? VideoSeconds, ClipErrorView? Error, DateTime CreatedAt, DateTime UpdatedAt);
public sealed record MusicView(string Source, string ContentType, LinkView Link);
public sealed record AssemblyView(Guid JobId, string Status, IReadOnlyList<Guid> ClipIds, double? Duration, LinkView? Video, string? Error,
    DateTime CreatedAt, DateTime? CompletedAt);
public sealed record ProjectView(
    Guid Id, string Title, string Status, MusicView? Music, IReadOnlyList<Guid> ClipOrder, IReadOnlyList<ClipView> Clips, decimal? AssemblyPrice,
    AssemblyView? FinalVideo, IReadOnlyList<AssemblyView> Assemblies, DateTime CreatedAt, DateTime UpdatedAt);
public sealed record ProjectSummaryView(Guid Id, string Title, string Status, int ClipCount, LinkView? Thumbnail, DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>The API's project and clip objects, with signed, expiring links to their private files.</summary>
public sealed class ProjectViews(ProjectStore projects, IObjectStore store)
{
    public async Task<ProjectView?> ProjectAsync(Guid userId, Guid projectId, CancellationToken ct)
    {
        var project = await projects.GetAsync(userId, projectId, ct);
        if (project is null) return null;
        var clips = await projects.ClipsAsync(userId, projectId, ct);
        var views = new List<ClipView>(clips.Count);
        for (var i = 0; i < clips.Count; i++) views.Add(await ClipAsync(clips[i], i, ct));
        var assemblies = new List<AssemblyView>();
        foreach (var assembly in await projects.AssembliesAsync(userId, projectId, ct))
        {
            assemblies.Add(new AssemblyView(assembly.JobId, assembly.Status, assembly.ClipIds, assembly.Duration,
                assembly.VideoKey is { } key ? await LinkAsync(key, ct) : null, assembly.ErrorMessage, assembly.CreatedAt, assembly.CompletedAt));
        }
        var music = project.MusicKey is { } musicKey
            ? new MusicView(project.MusicSource ?? "", project.MusicType ?? "audio/mpeg", await LinkAsync(musicKey, ct))
            : null;
        return new ProjectView(project.Id, project.Title, project.Status, music, clips.Select(c => c.Id).ToList(), views,
            AssemblyPrice(clips, music is not null), assemblies.FirstOrDefault(a => a.Video is not null), assemblies, project.CreatedAt, project.UpdatedAt);
    }

    public async Task<ClipView?> ClipAsync(Guid userId, Guid clipId, CancellationToken ct)
    {
        var clip = await projects.GetClipAsync(userId, clipId, ct);
        if (clip is null) return null;
        var order = (await projects.ClipsAsync(userId, clip.ProjectId, ct)).Select(c => c.Id).ToList().IndexOf(clip.Id);
        return await ClipAsync(clip, order, ct);
    }

    public async Task<List<ProjectSummaryView>> SummariesAsync(IReadOnlyList<ProjectStore.ProjectSummary> page, CancellationToken ct)
    {
        var views = new List<ProjectSummaryView>(page.Count);
        foreach (var p in page)
        {
            views.Add(new ProjectSummaryView(p.Id, p.Title, p.Status, p.ClipCount, p.ThumbnailKey is { } key ? await LinkAsync(key, ct) : null,
                p.CreatedAt, p.UpdatedAt));
        }
        return views;
    }

    /// <summary>What assembling now would hold: a render of the approved clips' length, the music counted as one more layer.</summary>
    public static decimal? AssemblyPrice(IReadOnlyList<ClipRow> clips, bool withMusic)
    {
        var approved = clips.Where(c => c.Approved && c.VideoKey is not null).ToList();
        if (approved.Count == 0) return null;
        return Pricing.Render(approved.Sum(c => Math.Round(c.VideoSeconds ?? c.DurationSec, 3)), false, approved.Count + (withMusic ? 1 : 0));
    }

    private async Task<ClipView> ClipAsync(ClipRow clip, int order, CancellationToken ct) => new(
        clip.Id, clip.ProjectId, order, clip.Status, clip.Approved, clip.Status == ClipStatus.Generating && clip.VideoKey is not null, clip.Prompt,
        clip.DurationSec, Pricing.Generation(clip.DurationSec), clip.JobId, await LinkAsync(clip.ImageKey, ct),
        clip.VideoKey is { } key ? await LinkAsync(key, ct) : null, clip.VideoSeconds,
        clip.ErrorCode is null ? null : new ClipErrorView(clip.ErrorCode, clip.ErrorMessage ?? ""), clip.CreatedAt, clip.UpdatedAt);

    private async Task<LinkView> LinkAsync(string key, CancellationToken ct)
    {
        var link = await store.GetDownloadLinkAsync(key, JobViews.LinkLifetime, null, ct);
        return new LinkView(link.Url.AbsoluteUri, (link.ExpiresAt ?? DateTimeOffset.UtcNow + JobViews.LinkLifetime).UtcDateTime);
    }
}
