using Dapper;
using Npgsql;

namespace Reelgate.Projects;

/// <summary>SQL for projects, their clips and assemblies. Every read and write is scoped by the caller's user id.</summary>
public sealed class ProjectStore(NpgsqlDataSource db)
{
    public const string ProjectColumns = "id, user_id, title, music_key, music_type, music_source, status, created_at, updated_at";

    public const string ClipColumns = """
        id, project_id, user_id, position, image_key, prompt, duration_sec, status, job_id, video_job_id, video_key, video_seconds,
        approved, error_code, error_message, created_at, updated_at
        """;

    public const string AssemblyColumns = "job_id, project_id, user_id, clip_ids, status, video_key, duration, error_message, created_at, completed_at";

    /// <summary>A change to what the final video would show makes an assembled project in progress again.</summary>
    public const string Changed = "status = CASE WHEN status = 'assembled' THEN 'in_progress' ELSE status END, updated_at = now()";

    public sealed record ProjectSummary(Guid Id, string Title, string Status, int ClipCount, string? ThumbnailKey, DateTime CreatedAt, DateTime UpdatedAt);

    public async Task<ProjectRow> CreateAsync(Guid userId, string title, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleAsync<ProjectRow>(new CommandDefinition(
            $"INSERT INTO projects (id, user_id, title) VALUES (@id, @userId, @title) RETURNING {ProjectColumns}",
            new { id = Guid.CreateVersion7(), userId, title }, cancellationToken: ct));
    }

    public async Task<ProjectRow?> GetAsync(Guid userId, Guid id, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<ProjectRow>(new CommandDefinition(
            $"SELECT {ProjectColumns} FROM projects WHERE id = @id AND user_id = @userId", new { id, userId }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<ProjectSummary>> ListAsync(Guid userId, Guid? before, int limit, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<ProjectSummary>(new CommandDefinition("""
            SELECT p.id, p.title, p.status,
                   (SELECT count(*)::int FROM clips c WHERE c.project_id = p.id) AS clip_count,
                   (SELECT c.image_key FROM clips c WHERE c.project_id = p.id ORDER BY c.position, c.id LIMIT 1) AS thumbnail_key,
                   p.created_at, p.updated_at
            FROM projects p
            WHERE p.user_id = @userId AND (@before::uuid IS NULL OR p.id < @before)
            ORDER BY p.id DESC LIMIT @limit
            """, new { userId, before, limit }, cancellationToken: ct))).AsList();
    }

    public async Task<IReadOnlyList<ClipRow>> ClipsAsync(Guid userId, Guid projectId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<ClipRow>(new CommandDefinition(
            $"SELECT {ClipColumns} FROM clips WHERE project_id = @projectId AND user_id = @userId ORDER BY position, id",
            new { projectId, userId }, cancellationToken: ct))).AsList();
    }

    public async Task<ClipRow?> GetClipAsync(Guid userId, Guid id, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<ClipRow>(new CommandDefinition(
            $"SELECT {ClipColumns} FROM clips WHERE id = @id AND user_id = @userId", new { id, userId }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<AssemblyRow>> AssembliesAsync(Guid userId, Guid projectId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<AssemblyRow>(new CommandDefinition(
            $"SELECT {AssemblyColumns} FROM project_assemblies WHERE project_id = @projectId AND user_id = @userId ORDER BY job_id DESC",
            new { projectId, userId }, cancellationToken: ct))).AsList();
    }

    public async Task<bool> RenameAsync(Guid userId, Guid id, string title, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE projects SET title = @title, updated_at = now() WHERE id = @id AND user_id = @userId", new { id, userId, title }, cancellationToken: ct)) == 1;
    }

    /// <summary>Sets or clears the music; returns the key it replaced, for the caller to delete once nothing points at it.</summary>
    public async Task<string?> SetMusicAsync(Guid userId, Guid id, string? key, string? contentType, string? source, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition($"""
            WITH old AS (SELECT music_key FROM projects WHERE id = @id AND user_id = @userId FOR UPDATE)
            UPDATE projects p SET music_key = @key, music_type = @contentType, music_source = @source, {Changed}
            FROM old WHERE p.id = @id
            RETURNING old.music_key
            """, new { id, userId, key, contentType, source }, cancellationToken: ct));
    }

    /// <summary>Positions follow the given order; the caller has checked that it lists each of the project's clips once.</summary>
    public async Task ReorderAsync(Guid userId, Guid projectId, IReadOnlyList<Guid> order, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE clips c SET position = o.position - 1, updated_at = now()
            FROM unnest(@order::uuid[]) WITH ORDINALITY AS o(id, position)
            WHERE c.id = o.id AND c.project_id = @projectId AND c.user_id = @userId
            """, new { order = order.ToArray(), projectId, userId }, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition($"UPDATE projects SET {Changed} WHERE id = @projectId AND user_id = @userId",
            new { projectId, userId }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
    }

    /// <summary>Only a clip whose video is there can be approved; false when it is not.</summary>
    public async Task<bool> ApproveAsync(Guid userId, Guid clipId, bool approved, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var projectId = await connection.ExecuteScalarAsync<Guid?>(new CommandDefinition("""
            UPDATE clips SET approved = @approved, updated_at = now()
            WHERE id = @clipId AND user_id = @userId AND (NOT @approved OR (status = 'done' AND video_key IS NOT NULL))
            RETURNING project_id
            """, new { clipId, userId, approved }, tx, cancellationToken: ct));
        if (projectId is null) return false;
        await connection.ExecuteAsync(new CommandDefinition($"UPDATE projects SET {Changed} WHERE id = @projectId",
            new { projectId }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return true;
    }

    public async Task<ClipRow?> DeleteClipAsync(Guid userId, Guid clipId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var clip = await connection.QuerySingleOrDefaultAsync<ClipRow>(new CommandDefinition(
            $"DELETE FROM clips WHERE id = @clipId AND user_id = @userId RETURNING {ClipColumns}", new { clipId, userId }, tx, cancellationToken: ct));
        if (clip is null) return null;
        await connection.ExecuteAsync(new CommandDefinition($"UPDATE projects SET {Changed} WHERE id = @ProjectId",
            new { clip.ProjectId }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return clip;
    }
}
