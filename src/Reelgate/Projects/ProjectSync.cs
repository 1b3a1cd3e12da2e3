using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Reelgate.Data;
using Reelgate.Jobs;
using Reelgate.Storage;

namespace Reelgate.Projects;

/// <summary>
/// Brings clips and assemblies up to date when their jobs end: a finished clip's video is copied to the project's clip key
/// (replacing the one before and clearing the approval), a failed one keeps any earlier video and records why, and a finished
/// assembly's video becomes the project's. Jobs' end notifications wake it; a periodic pass catches any that were missed.
/// Rows are claimed with SKIP LOCKED, so any number of instances may run it.
/// </summary>
public sealed class ProjectSync(
    NpgsqlDataSource db, IObjectStore store, JobStore jobs, Notifications notifications, DatabaseAvailability database,
    IOptions<ProjectsOptions> options, IOptions<StorageOptions> storage, ILogger<ProjectSync> logger) : BackgroundService
{
    private const int Batch = 20;

    private readonly SemaphoreSlim _wake = new(0);

    private sealed record Ended(Guid Id, Guid UserId, Guid ProjectId, Guid JobId, string JobStatus, double? Duration, string? ErrorCode, string? ErrorMessage);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        notifications.Subscribe(Channels.Jobs, payload =>
        {
            if (payload.StartsWith("final:", StringComparison.Ordinal) || payload.StartsWith("cancel:", StringComparison.Ordinal)) _wake.Release();
        });
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
                await _wake.WaitAsync(options.Value.SyncInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                if (!database.RecordIfOutage(ex)) logger.LogError(ex, "Project sync failed; it runs again shortly");
                try { await Task.Delay(options.Value.SyncInterval, stoppingToken); }
                catch (OperationCanceledException) { break; }
            }
        }
    }

    public async Task RunOnceAsync(CancellationToken ct)
    {
        while (await SyncClipsAsync(ct) == Batch) { }
        while (await SyncAssembliesAsync(ct) == Batch) { }
        if (!options.Value.KeepFilesWithProject && storage.Value.Retention is { } retention) await ExpireAsync(retention, ct);
    }

    private async Task<int> SyncClipsAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var ended = (await connection.QueryAsync<Ended>(new CommandDefinition("""
            SELECT c.id, c.user_id, c.project_id, c.job_id, j.status AS job_status, j.duration, j.error_code, j.error_message
            FROM clips c JOIN jobs j ON j.id = c.job_id
            WHERE c.status = 'generating' AND j.status IN ('done', 'failed', 'canceled')
            ORDER BY c.id LIMIT @Batch FOR UPDATE OF c SKIP LOCKED
            """, new { Batch }, tx, cancellationToken: ct))).AsList();
        foreach (var clip in ended)
        {
            var copied = clip.JobStatus == JobStatus.Done
                ? await CopyOutputAsync(clip.JobId, StorageKeys.ForClip(clip.UserId, clip.ProjectId, clip.Id), ct)
                : null;
            if (copied is not null)
            {
                await connection.ExecuteAsync(new CommandDefinition($"""
                    UPDATE clips SET status = 'done', video_key = @copied, video_job_id = job_id, video_seconds = @Duration, video_at = now(),
                        approved = false, error_code = NULL, error_message = NULL, updated_at = now()
                    WHERE id = @Id;
                    UPDATE projects SET {ProjectStore.Changed} WHERE id = @ProjectId;
                    """, new { clip.Id, clip.ProjectId, clip.Duration, copied }, tx, cancellationToken: ct));
            }
            else
            {
                var (code, message) = clip.JobStatus switch
                {
                    JobStatus.Done => ("output-missing", "The generated video is no longer stored; regenerate the clip."),
                    JobStatus.Canceled => ("canceled", "The generation was canceled."),
                    _ => (clip.ErrorCode ?? "failed", clip.ErrorMessage ?? "The generation failed."),
                };
                // A failed regeneration leaves the clip as it was, with its earlier video and approval.
                await connection.ExecuteAsync(new CommandDefinition("""
                    UPDATE clips SET status = CASE WHEN video_key IS NULL THEN 'failed' ELSE 'done' END, error_code = @code, error_message = @message,
                        updated_at = now()
                    WHERE id = @Id
                    """, new { clip.Id, code, message }, tx, cancellationToken: ct));
            }
        }
        await tx.CommitAsync(ct);
        return ended.Count;
    }

    private async Task<int> SyncAssembliesAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var ended = (await connection.QueryAsync<Ended>(new CommandDefinition("""
            SELECT a.job_id AS id, a.user_id, a.project_id, a.job_id, j.status AS job_status, j.duration, j.error_code, j.error_message
            FROM project_assemblies a JOIN jobs j ON j.id = a.job_id
            WHERE a.status = 'assembling' AND j.status IN ('done', 'failed', 'canceled')
            ORDER BY a.job_id LIMIT @Batch FOR UPDATE OF a SKIP LOCKED
            """, new { Batch }, tx, cancellationToken: ct))).AsList();
        foreach (var assembly in ended)
        {
            var copied = assembly.JobStatus == JobStatus.Done
                ? await CopyOutputAsync(assembly.JobId, StorageKeys.ForProjectVideo(assembly.UserId, assembly.ProjectId, assembly.JobId), ct)
                : null;
            var message = copied is not null ? null
                : assembly.JobStatus == JobStatus.Canceled ? "The assembly was canceled."
                : assembly.ErrorMessage ?? "The assembled video is no longer stored.";
            await connection.ExecuteAsync(new CommandDefinition("""
                UPDATE project_assemblies SET status = @status, video_key = @copied, duration = @Duration, error_message = @message, completed_at = now()
                WHERE job_id = @JobId;
                UPDATE projects p SET updated_at = now(), status = CASE
                        WHEN EXISTS (SELECT 1 FROM project_assemblies a WHERE a.project_id = p.id AND a.status = 'assembling') THEN 'assembling'
                        WHEN @status = 'done' THEN 'assembled'
                        ELSE 'in_progress' END
                WHERE p.id = @ProjectId;
                """, new { assembly.JobId, assembly.ProjectId, assembly.Duration, copied, message, status = copied is null ? "failed" : "done" },
                tx, cancellationToken: ct));
        }
        await tx.CommitAsync(ct);
        return ended.Count;
    }

    /// <summary>The job's stored video copied to the project's key; null when the job left none.</summary>
    private async Task<string?> CopyOutputAsync(Guid jobId, string key, CancellationToken ct)
    {
        var output = (await jobs.OutputsAsync(jobId, ct)).FirstOrDefault(o => o.Kind == "video");
        if (output is null) return null;
        await using var source = await store.OpenReadAsync(output.StorageKey, ct);
        if (source is null) return null;
        var temporary = Path.Combine(Path.GetTempPath(), $"reelgate-project-{Guid.NewGuid():N}.mp4");
        try
        {
            await using (var target = File.Create(temporary)) await source.CopyToAsync(target, ct);
            await store.PutFileAsync(key, temporary, output.ContentType, ct);
        }
        finally
        {
            File.Delete(temporary);
        }
        return key;
    }

    /// <summary>Where projects do not keep their files, clips and final videos go once the storage retention has passed.</summary>
    private async Task ExpireAsync(TimeSpan retention, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var keys = (await connection.QueryAsync<string>(new CommandDefinition("""
            WITH clips_due AS (
                SELECT id, video_key FROM clips WHERE video_key IS NOT NULL AND video_at <= now() - @retention AND status <> 'generating'
                LIMIT 100 FOR UPDATE SKIP LOCKED),
            clips_cleared AS (
                UPDATE clips c SET video_key = NULL, video_job_id = NULL, approved = false, status = 'failed', error_code = 'expired',
                    error_message = 'The video was deleted when its storage retention ended; regenerate the clip.', updated_at = now()
                FROM clips_due d WHERE c.id = d.id RETURNING d.video_key),
            finals_due AS (
                SELECT job_id, video_key FROM project_assemblies WHERE video_key IS NOT NULL AND completed_at <= now() - @retention
                LIMIT 100 FOR UPDATE SKIP LOCKED),
            finals_cleared AS (
                UPDATE project_assemblies a SET video_key = NULL FROM finals_due d WHERE a.job_id = d.job_id RETURNING d.video_key)
            SELECT video_key FROM clips_cleared UNION ALL SELECT video_key FROM finals_cleared
            """, new { retention }, tx, cancellationToken: ct))).AsList();
        foreach (var key in keys) await store.DeleteAsync(key, ct);
        await tx.CommitAsync(ct);
        if (keys.Count > 0) logger.LogInformation("Deleted {Count} project videos past retention", keys.Count);
    }
}
