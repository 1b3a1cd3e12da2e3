using Npgsql;

namespace Reelgate.Projects;

/// <summary>Clip writes that commit with their generation job's admission, each guarded so it writes nothing when the job was refused.</summary>
internal static class ClipCommands
{
    private const string Admitted = "EXISTS (SELECT 1 FROM jobs WHERE id = $1)";

    /// <summary>Makes room at <paramref name="position"/> (or appends) and inserts the clip there.</summary>
    public static NpgsqlBatchCommand[] Insert(Guid jobId, Guid clipId, ProjectRow project, int? position, string imageKey, string? prompt, int durationSec) =>
    [
        Command($"UPDATE clips SET position = position + 1 WHERE project_id = $2 AND position >= $3 AND $3 IS NOT NULL AND {Admitted}",
            jobId, project.Id, Nullable(position)),
        Command($"""
            INSERT INTO clips (id, project_id, user_id, position, image_key, prompt, duration_sec, status, job_id)
            SELECT $4, $2, $5, coalesce($3, (SELECT coalesce(max(position) + 1, 0) FROM clips WHERE project_id = $2)), $6, $7, $8, 'generating', $1
            WHERE {Admitted}
            """, jobId, project.Id, Nullable(position), clipId, project.UserId, imageKey, Text(prompt), durationSec),
        Command($"UPDATE projects SET {ProjectStore.Changed} WHERE id = $2 AND {Admitted}", jobId, project.Id),
    ];

    /// <summary>Points the clip at its new generation; a clip already generating is left alone (the caller then cancels the job).</summary>
    public static NpgsqlBatchCommand[] Regenerate(Guid jobId, ClipRow clip) =>
    [
        Command($"""
            UPDATE clips SET job_id = $1, status = 'generating', error_code = NULL, error_message = NULL, updated_at = now()
            WHERE id = $2 AND status <> 'generating' AND {Admitted}
            """, jobId, clip.Id),
    ];

    private static NpgsqlParameter Nullable(int? value) =>
        new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer };

    private static NpgsqlParameter Text(string? value) =>
        new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text };

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values) command.Parameters.Add(value as NpgsqlParameter ?? new NpgsqlParameter { Value = value });
        return command;
    }
}
