using Dapper;
using Npgsql;
using Reelgate.Jobs;
using Reelgate.Storage;

namespace Reelgate.Projects;

/// <summary>
/// Deleting a project or a clip: its running jobs are canceled (releasing their held credits), its rows removed, then its stored
/// files: photos, clip videos, music and final videos, and the outputs its jobs left in job storage.
/// </summary>
public sealed class ProjectDeletion(NpgsqlDataSource db, ProjectStore projects, JobFinisher finisher, JobStore jobs, IObjectStore store)
{
    public async Task<bool> DeleteProjectAsync(Guid userId, Guid projectId, CancellationToken ct)
    {
        var project = await projects.GetAsync(userId, projectId, ct);
        if (project is null) return false;
        var clips = await projects.ClipsAsync(userId, projectId, ct);
        var assemblies = await projects.AssembliesAsync(userId, projectId, ct);
        var running = clips.Where(c => c.Status == ClipStatus.Generating).Select(c => c.JobId)
            .Concat(assemblies.Where(a => a.Status == ProjectStatus.Assembling).Select(a => a.JobId));
        foreach (var jobId in running) await finisher.CancelAsync(jobId, userId, ct);

        var jobIds = (await GenerationsOfAsync(userId, clips, ct)).Concat(assemblies.Select(a => a.JobId)).ToList();
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            // Clips and assemblies go with the project (ON DELETE CASCADE).
            if (await connection.ExecuteAsync(new CommandDefinition("DELETE FROM projects WHERE id = @projectId AND user_id = @userId",
                    new { projectId, userId }, cancellationToken: ct)) == 0) return false;
        }
        var keys = clips.SelectMany(Keys).Concat(assemblies.Select(a => StorageKeys.ForProjectVideo(userId, projectId, a.JobId)));
        if (project.MusicKey is { } music) keys = keys.Append(music);
        await DeleteFilesAsync(userId, keys, jobIds, ct);
        return true;
    }

    public async Task<bool> DeleteClipAsync(Guid userId, Guid clipId, CancellationToken ct)
    {
        var clip = await projects.GetClipAsync(userId, clipId, ct);
        if (clip is null) return false;
        if (clip.Status == ClipStatus.Generating) await finisher.CancelAsync(clip.JobId, userId, ct);
        var jobIds = await GenerationsOfAsync(userId, [clip], ct);
        if (await projects.DeleteClipAsync(userId, clipId, ct) is null) return false;
        await DeleteFilesAsync(userId, Keys(clip), jobIds, ct);
        return true;
    }

    private static IEnumerable<string> Keys(ClipRow clip) => [clip.ImageKey, StorageKeys.ForClip(clip.UserId, clip.ProjectId, clip.Id)];

    /// <summary>Every generation ever run for these clips, found by the photo each was made from.</summary>
    private async Task<IReadOnlyList<Guid>> GenerationsOfAsync(Guid userId, IReadOnlyList<ClipRow> clips, CancellationToken ct)
    {
        if (clips.Count == 0) return [];
        await using var connection = await db.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<Guid>(new CommandDefinition("""
            SELECT id FROM jobs WHERE user_id = @userId AND kind = 'generation' AND request ->> 'imageKey' = ANY(@keys)
            """, new { userId, keys = clips.Select(c => c.ImageKey).ToArray() }, cancellationToken: ct))).AsList();
    }

    private async Task DeleteFilesAsync(Guid userId, IEnumerable<string> keys, IReadOnlyCollection<Guid> jobIds, CancellationToken ct)
    {
        foreach (var key in keys) await store.DeleteAsync(key, ct);
        if (jobIds.Count > 0) await jobs.ExpireOutputsAsync(userId, jobIds, ct);
    }
}
