using Dapper;
using Npgsql;

namespace Reelgate.Shotstack;

/// <summary>Keeps an Edit as submitted when merge fields changed it, for GET /render/{id}?data=true without merged.</summary>
public static class ShotstackEditSources
{
    public static Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid jobId, string edit, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO shotstack_edit_sources (job_id, edit) VALUES (@jobId, @edit::jsonb)", new { jobId, edit }, tx, cancellationToken: ct));

    public static Task<string?> GetAsync(NpgsqlConnection connection, Guid jobId, CancellationToken ct) =>
        connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT edit::text FROM shotstack_edit_sources WHERE job_id = @jobId", new { jobId }, cancellationToken: ct));
}
