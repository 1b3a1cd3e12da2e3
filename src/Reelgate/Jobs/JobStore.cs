using Dapper;
using Npgsql;
using Reelgate.Data;

namespace Reelgate.Jobs;

/// <summary>SQL for jobs, their events and outputs. Every read of a user's job is scoped by the user id.</summary>
public sealed class JobStore(NpgsqlDataSource db)
{
    public const string Columns = """
        id, user_id, kind, status, progress, provider, request::text AS request, quote, duration, error_code, error_message,
        attempts, max_attempts, callback_url, created_at, updated_at, completed_at
        """;

    public static Task AddEventAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, Guid jobId, string status, string message, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO job_events (job_id, status, message) VALUES (@jobId, @status, @message)", new { jobId, status, message }, tx, cancellationToken: ct));

    /// <summary>An event written with a job's admission, and only when the job was admitted.</summary>
    public static NpgsqlBatchCommand EventCommand(Guid jobId, string status, string message) => new(
        "INSERT INTO job_events (job_id, status, message) SELECT $1, $2, $3 WHERE EXISTS (SELECT 1 FROM jobs WHERE id = $1)")
    {
        Parameters =
        {
            new NpgsqlParameter<Guid> { TypedValue = jobId },
            new NpgsqlParameter<string> { TypedValue = status },
            new NpgsqlParameter<string> { TypedValue = message },
        },
    };

    public async Task<JobRecord?> GetAsync(Guid id, Guid? userId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<JobRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM jobs WHERE id = @id AND (@userId::uuid IS NULL OR user_id = @userId)", new { id, userId }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<JobRecord>> ListAsync(Guid userId, string? status, string? kind, Guid? before, int limit, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<JobRecord>(new CommandDefinition($"""
            SELECT {Columns} FROM jobs
            WHERE user_id = @userId AND (@status::text IS NULL OR status = @status) AND (@kind::text IS NULL OR kind = @kind)
              AND (@before::uuid IS NULL OR id < @before)
            ORDER BY id DESC LIMIT @limit
            """, new { userId, status, kind, before, limit }, cancellationToken: ct));
        return rows.AsList();
    }

    public async Task RecordProviderOutputAsync(Guid jobId, string url, DateTime expiresAt, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE jobs SET provider_output_url = @url, provider_output_expires_at = @expiresAt WHERE id = @jobId",
            new { jobId, url, expiresAt }, cancellationToken: ct));
    }

    /// <summary>The upstream's output link while it is still valid, for the caller's own job.</summary>
    public async Task<(string Url, DateTime ExpiresAt)?> ProviderOutputAsync(Guid jobId, Guid userId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<ProviderLink>(new CommandDefinition("""
            SELECT provider_output_url AS url, provider_output_expires_at AS expires_at FROM jobs
            WHERE id = @jobId AND user_id = @userId AND provider_output_url IS NOT NULL AND provider_output_expires_at > now()
            """, new { jobId, userId }, cancellationToken: ct));
        return row is null ? null : (row.Url, row.ExpiresAt);
    }

    private sealed record ProviderLink(string Url, DateTime ExpiresAt);

    public async Task<IReadOnlyList<JobEvent>> EventsAsync(Guid jobId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<JobEvent>(new CommandDefinition(
            "SELECT at, status, message FROM job_events WHERE job_id = @jobId ORDER BY id", new { jobId }, cancellationToken: ct))).AsList();
    }

    public async Task<IReadOnlyList<JobOutput>> OutputsAsync(Guid jobId, CancellationToken ct) =>
        (await OutputsAsync([jobId], ct)).GetValueOrDefault(jobId) ?? [];

    /// <summary>The stored outputs of many jobs in one query, by job.</summary>
    public async Task<Dictionary<Guid, List<JobOutput>>> OutputsAsync(IReadOnlyCollection<Guid> jobIds, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<JobOutputRow>(new CommandDefinition("""
            SELECT job_id, kind, storage_key, content_type, length, created_at, expires_at FROM job_outputs
            WHERE job_id = ANY(@jobIds) AND deleted_at IS NULL ORDER BY job_id, kind
            """, new { jobIds = jobIds.ToArray() }, cancellationToken: ct));
        return rows.GroupBy(r => r.JobId).ToDictionary(g => g.Key, g => g.Select(r => new JobOutput(r.Kind, r.StorageKey, r.ContentType, r.Length, r.CreatedAt, r.ExpiresAt)).ToList());
    }

    /// <summary>Ends the retention of the caller's jobs' stored outputs now, so the retention sweeper deletes them on its next pass.</summary>
    public async Task ExpireOutputsAsync(Guid userId, IReadOnlyCollection<Guid> jobIds, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE job_outputs o SET expires_at = now() FROM jobs j
            WHERE o.job_id = j.id AND j.user_id = @userId AND o.job_id = ANY(@jobIds) AND o.deleted_at IS NULL
            """, new { userId, jobIds = jobIds.ToArray() }, cancellationToken: ct));
    }

    private sealed record JobOutputRow(Guid JobId, string Kind, string StorageKey, string ContentType, long Length, DateTime CreatedAt, DateTime? ExpiresAt);
}
