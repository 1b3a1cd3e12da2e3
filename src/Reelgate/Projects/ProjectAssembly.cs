using Microsoft.Extensions.Options;
using Npgsql;
using Reelgate.Common;
using Reelgate.Jobs;
using Reelgate.Rendering;
using Reelgate.Storage;

namespace Reelgate.Projects;

public sealed record AssembleRequest(string? Transition, string? Resolution, double? MusicVolume);

public abstract record AssembleResult
{
    public sealed record Queued(SubmitResult Admission) : AssembleResult;
    public sealed record ProjectNotFound : AssembleResult;
    public sealed record AlreadyAssembling : AssembleResult;
}

/// <summary>
/// Assembles a project: an <c>assembly</c> job rendering <see cref="AssemblyEdit"/> on the local renderer, priced and settled as
/// a render of that length, with its record and the project's status committed with the job's admission.
/// </summary>
public sealed class ProjectAssembly(JobAdmission jobAdmission, ProjectStore projects, IObjectStore store, RenderLimits limits, IOptions<JobsOptions> jobs)
{
    /// <summary>Links in the Edit must last while the job may still be queued or retried.</summary>
    private static readonly TimeSpan SourceLinkLifetime = TimeSpan.FromHours(24);

    public async Task<AssembleResult> AssembleAsync(Guid userId, Guid projectId, AssembleRequest request, CancellationToken ct)
    {
        var project = await projects.GetAsync(userId, projectId, ct);
        if (project is null) return new AssembleResult.ProjectNotFound();
        var validator = new Validator();
        var transition = request.Transition ?? "fade";
        if (!AssemblyEdit.Transitions.Contains(transition)) validator.Add("transition", $"must be one of {string.Join(", ", AssemblyEdit.Transitions)}.");
        var resolution = request.Resolution ?? "hd";
        if (!AssemblyEdit.Resolutions.Contains(resolution)) validator.Add("resolution", $"must be one of {string.Join(", ", AssemblyEdit.Resolutions)}.");
        var volume = request.MusicVolume ?? 1;
        if (volume is < 0 or > 1 || double.IsNaN(volume)) validator.Add("musicVolume", "must be between 0 and 1.");

        var clips = await projects.ClipsAsync(userId, projectId, ct);
        for (var i = 0; i < clips.Count; i++)
        {
            if (clips[i].Status == ClipStatus.Generating) validator.Add($"clips[{i}]", $"clip {clips[i].Id} is still generating; wait for it to finish.");
        }
        var approved = clips.Where(c => c.Approved && c.VideoKey is not null).ToList();
        if (approved.Count == 0) validator.Add("clips", clips.Count == 0 ? "the project has no clips; add photos first." : "no clip is approved; approve at least one.");
        if (!validator.IsValid) return new AssembleResult.Queued(new SubmitResult.Invalid(validator.Errors));
        if (project.Status == ProjectStatus.Assembling) return new AssembleResult.AlreadyAssembling();

        var parts = new List<AssemblyEdit.Part>();
        foreach (var clip in approved)
        {
            parts.Add(new AssemblyEdit.Part((await store.GetDownloadLinkAsync(clip.VideoKey!, SourceLinkLifetime, null, ct)).Url.AbsoluteUri,
                clip.VideoSeconds ?? clip.DurationSec));
        }
        var music = project.MusicKey is { } musicKey ? (await store.GetDownloadLinkAsync(musicKey, SourceLinkLifetime, null, ct)).Url.AbsoluteUri : null;
        var json = AssemblyEdit.Build(parts, music, transition, resolution, volume);
        var edit = EditParser.Parse(json, limits).Edit ?? throw new InvalidOperationException("An assembly Edit did not validate.");
        var seconds = parts.Sum(p => Math.Round(p.Seconds, 3));
        var clipCount = parts.Count + (music is null ? 0 : 1);
        var quote = Pricing.Render(seconds, edit.Output.IsStill, clipCount);

        var jobId = Guid.CreateVersion7();
        var job = new JobRecord(jobId, userId, "assembly", JobStatus.Queued, 0, "local", json, quote, null, null, null, 0,
            jobs.Value.MaxAttempts, null, DateTime.UtcNow, DateTime.UtcNow, null);
        var admission = await jobAdmission.QueueAsync(job, jobs.Value.MaxActivePerUser, ct, Record(jobId, project, approved.Select(c => c.Id).ToArray()));
        return new AssembleResult.Queued(admission);
    }

    private static NpgsqlBatchCommand[] Record(Guid jobId, ProjectRow project, Guid[] clipIds) =>
    [
        new("""
            INSERT INTO project_assemblies (job_id, project_id, user_id, clip_ids)
            SELECT $1, $2, $3, $4 WHERE EXISTS (SELECT 1 FROM jobs WHERE id = $1)
            """)
        {
            Parameters =
            {
                new NpgsqlParameter<Guid> { TypedValue = jobId }, new NpgsqlParameter<Guid> { TypedValue = project.Id },
                new NpgsqlParameter<Guid> { TypedValue = project.UserId }, new NpgsqlParameter<Guid[]> { TypedValue = clipIds },
            },
        },
        new("UPDATE projects SET status = 'assembling', updated_at = now() WHERE id = $2 AND EXISTS (SELECT 1 FROM jobs WHERE id = $1)")
        {
            Parameters = { new NpgsqlParameter<Guid> { TypedValue = jobId }, new NpgsqlParameter<Guid> { TypedValue = project.Id } },
        },
    ];
}
