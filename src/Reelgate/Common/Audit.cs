using System.Text.Json;
using Dapper;
using Npgsql;

namespace Reelgate.Common;

/// <summary>Operator actions, written in the same transaction as the change they describe.</summary>
public static class Audit
{
    public static Task WriteAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid? actorId, string action,
        string targetType, string targetId, object details, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO audit_log (id, actor_id, action, target_type, target_id, details)
            VALUES (@id, @actorId, @action, @targetType, @targetId, @details::jsonb)
            """,
            new { id = Guid.CreateVersion7(), actorId, action, targetType, targetId, details = JsonSerializer.Serialize(details, Json.Options) },
            tx, cancellationToken: ct));
}
