using Dapper;
using Npgsql;

namespace Reelgate.Idempotency;

public sealed record IdempotencyRecord(byte[] RequestHash, bool Completed, int? ResponseStatus, byte[]? ResponseBody, string? ResponseType, string? ResponseLocation);

public sealed class IdempotencyStore(NpgsqlDataSource db)
{
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    /// <summary>Claims the key for this request, or returns the record that already holds it.</summary>
    public async Task<IdempotencyRecord?> TryBeginAsync(Guid userId, string key, byte[] requestHash, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM idempotency_records WHERE user_id = @userId AND key = @key AND created_at < now() - @Retention",
            new { userId, key, Retention }, cancellationToken: ct));
        var inserted = await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO idempotency_records (user_id, key, request_hash) VALUES (@userId, @key, @requestHash)
            ON CONFLICT DO NOTHING
            """, new { userId, key, requestHash }, cancellationToken: ct));
        if (inserted == 1) return null;
        return await connection.QuerySingleOrDefaultAsync<IdempotencyRecord>(new CommandDefinition("""
            SELECT request_hash, completed, response_status, response_body, response_type, response_location
            FROM idempotency_records WHERE user_id = @userId AND key = @key
            """, new { userId, key }, cancellationToken: ct));
    }

    public async Task CompleteAsync(Guid userId, string key, int status, byte[] body, string? contentType, string? location)
    {
        await using var connection = await db.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            UPDATE idempotency_records SET completed = true, response_status = @status, response_body = @body,
                response_type = @contentType, response_location = @location
            WHERE user_id = @userId AND key = @key
            """, new { userId, key, status, body, contentType, location });
    }

    public async Task AbandonAsync(Guid userId, string key)
    {
        await using var connection = await db.OpenConnectionAsync();
        await connection.ExecuteAsync("DELETE FROM idempotency_records WHERE user_id = @userId AND key = @key AND NOT completed",
            new { userId, key });
    }

    public async Task<int> PurgeExpiredAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM idempotency_records WHERE created_at < now() - @Retention", new { Retention }, cancellationToken: ct));
    }
}
