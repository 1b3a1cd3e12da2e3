using Dapper;
using Npgsql;

namespace Reelgate.Shotstack;

/// <summary>Keeps an Edit as submitted when merge fields changed it, for GET /render/{id}?data=true without merged.</summary>
public static class ShotstackEditSources
{
    /// <summary>Stored with the job's admission, and only when the job was admitted.</summary>
    public static NpgsqlBatchCommand InsertCommand(Guid jobId, string edit) => new(
        "INSERT INTO shotstack_edit_sources (job_id, edit) SELECT $1, $2::jsonb WHERE EXISTS (SELECT 1 FROM jobs WHERE id = $1)")
    {
        Parameters = { new NpgsqlParameter<Guid> { TypedValue = jobId }, new NpgsqlParameter<string> { TypedValue = edit } },
    };

    public static Task<string?> GetAsync(NpgsqlConnection connection, Guid jobId, CancellationToken ct) =>
        connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT edit::text FROM shotstack_edit_sources WHERE job_id = @jobId", new { jobId }, cancellationToken: ct));
}
