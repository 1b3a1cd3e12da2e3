using System.Text.Json;
using Dapper;
using Npgsql;
using Reelgate.Jobs;
using Reelgate.Storage;

namespace Reelgate.Shotstack;

/// <summary>Presents a Reelgate render job the way Shotstack's GET /render/{id} and callbacks describe a render.</summary>
public sealed class ShotstackRenders(JobStore jobs, JobViews views, NpgsqlDataSource db)
{
    /// <summary>The caller's render, or null when it does not exist for them.</summary>
    public async Task<ShotstackRender?> GetAsync(Guid id, Guid userId, bool data, bool merged, CancellationToken ct)
    {
        var job = await jobs.GetAsync(id, userId, ct);
        if (job is null || job.Kind != "render") return null;

        var (status, error) = Status(job);
        var links = status == JobStatus.Done ? await LinksAsync(job.Id, ct) : new Dictionary<string, string>();
        await using var connection = await db.OpenConnectionAsync(ct);
        var plan = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT plan FROM users WHERE id = @userId", new { userId }, cancellationToken: ct));
        var started = await connection.ExecuteScalarAsync<DateTime?>(new CommandDefinition(
            "SELECT min(at) FROM job_events WHERE job_id = @id AND status <> 'queued'", new { id }, cancellationToken: ct));
        if (job.Provider == "shotstack" && !JobStatus.IsFinal(job.Status))
        {
            status = Forwarded(await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                "SELECT upstream_status FROM jobs WHERE id = @id", new { id }, cancellationToken: ct))) ?? status;
        }
        JsonElement? edit = null;
        if (data)
        {
            var source = merged ? null : await ShotstackEditSources.GetAsync(connection, id, ct);
            using var document = JsonDocument.Parse(source ?? job.Request);
            edit = document.RootElement.Clone();
        }
        double? renderTime = job.CompletedAt is { } completed && started is { } start && completed >= start
            ? Math.Round((completed - start).TotalMilliseconds, 2)
            : null;
        return new ShotstackRender(job.Id, job.UserId.ToString(), plan, status, error,
            status == JobStatus.Done ? job.Duration : null, renderTime,
            Link(links, "video", "image", "audio"), Link(links, "poster"), Link(links, "thumbnail"),
            edit, job.CreatedAt, job.UpdatedAt);
    }

    /// <summary>The callback body for a finished job, or null when the job is gone or not final.</summary>
    public async Task<ShotstackCallbackPayload?> CallbackPayloadAsync(Guid jobId, CancellationToken ct)
    {
        var job = await jobs.GetAsync(jobId, null, ct);
        if (job is null || !JobStatus.IsFinal(job.Status)) return null;
        var (status, error) = Status(job);
        var url = status == JobStatus.Done ? Link(await LinksAsync(job.Id, ct), "video", "image", "audio") : null;
        return new ShotstackCallbackPayload("edit", "render", job.Id, job.UserId.ToString(), status, url, error,
            job.CompletedAt ?? job.UpdatedAt);
    }

    /// <summary>Shotstack has no canceled status; a canceled render reads as failed with error "canceled".</summary>
    private static (string Status, string? Error) Status(JobRecord job) => job.Status switch
    {
        JobStatus.Canceled => (JobStatus.Failed, "canceled"),
        JobStatus.Failed => (JobStatus.Failed, job.ErrorMessage ?? job.ErrorCode ?? "failed"),
        var other => (other, null),
    };

    /// <summary>
    /// Shotstack's own word for a forwarded render still running; "done" there reads as saving here until the output
    /// is in our storage, and preprocessing (not in every SDK's enum) reads as rendering.
    /// </summary>
    private static string? Forwarded(string? upstream) => upstream switch
    {
        "queued" or "fetching" or "rendering" or "saving" => upstream,
        "preprocessing" => JobStatus.Rendering,
        "done" => JobStatus.Saving,
        _ => null,
    };

    private async Task<Dictionary<string, string>> LinksAsync(Guid jobId, CancellationToken ct) =>
        (await views.OutputLinksAsync(jobId, ct)).ToDictionary(output => output.Kind, output => output.Url, StringComparer.Ordinal);

    private static string? Link(Dictionary<string, string> links, params string[] kinds) =>
        kinds.Select(links.GetValueOrDefault).FirstOrDefault(url => url is not null);
}
