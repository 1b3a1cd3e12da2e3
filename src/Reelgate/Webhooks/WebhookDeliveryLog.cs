using Dapper;
using Npgsql;

namespace Reelgate.Webhooks;

public sealed record DeliveryRecord(Guid Id, Guid? JobId, string Event, string State, DateTime NextAttemptAt, DateTime CreatedAt, DateTime? DeliveredAt, string? Failure);
public sealed record AttemptRecord(Guid DeliveryId, int Attempt, DateTime At, int? StatusCode, int LatencyMs, string? Error);

/// <summary>Reads a user's deliveries, newest first, with their attempts.</summary>
public sealed class WebhookDeliveryLog(NpgsqlDataSource db)
{
    public async Task<(IReadOnlyList<DeliveryRecord> Deliveries, ILookup<Guid, AttemptRecord> Attempts)> ListAsync(
        Guid userId, Guid? before, int limit, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var deliveries = (await connection.QueryAsync<DeliveryRecord>(new CommandDefinition("""
            SELECT id, job_id, event, state, next_attempt_at, created_at, delivered_at, failure FROM webhook_deliveries
            WHERE user_id = @userId AND (@before::uuid IS NULL OR id < @before)
            ORDER BY id DESC LIMIT @limit
            """, new { userId, before, limit }, cancellationToken: ct))).AsList();
        var ids = deliveries.Select(d => d.Id).ToArray();
        var attempts = ids.Length == 0 ? [] : await connection.QueryAsync<AttemptRecord>(new CommandDefinition("""
            SELECT delivery_id, attempt, at, status_code, latency_ms, error FROM webhook_delivery_attempts
            WHERE delivery_id = ANY(@ids) ORDER BY delivery_id, attempt
            """, new { ids }, cancellationToken: ct));
        return (deliveries, attempts.ToLookup(a => a.DeliveryId));
    }
}
