using System.Text.Json.Nodes;
using Dapper;
using Npgsql;

namespace Reelgate.Billing.TrueLayer;

/// <summary>Handles one TrueLayer webhook type inside the transaction that marks the event processed.</summary>
public interface ITrueLayerEventHandler
{
    string EventType { get; }

    Task HandleAsync(JsonObject payload, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct);
}

/// <summary>Stores each event once by event_id and runs its handler once; unknown types are stored, acknowledged and ignored.</summary>
public sealed class TrueLayerEventProcessor(NpgsqlDataSource db, IEnumerable<ITrueLayerEventHandler> handlers, ILogger<TrueLayerEventProcessor> logger)
{
    private readonly Dictionary<string, ITrueLayerEventHandler> _handlers = handlers.ToDictionary(h => h.EventType, StringComparer.Ordinal);

    public async Task<EventOutcome> ProcessAsync(JsonObject payload, CancellationToken ct)
    {
        var eventId = payload["event_id"]!.GetValue<string>();
        var type = payload["type"]!.GetValue<string>();
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO truelayer_events (event_id, type, payload) VALUES (@eventId, @type, @payload::jsonb) ON CONFLICT (event_id) DO NOTHING
            """, new { eventId, type, payload = payload.ToJsonString() }, cancellationToken: ct));

        await using var tx = await connection.BeginTransactionAsync(ct);
        var processedAt = await connection.QuerySingleAsync<DateTime?>(new CommandDefinition(
            "SELECT processed_at FROM truelayer_events WHERE event_id = @eventId FOR UPDATE", new { eventId }, tx, cancellationToken: ct));
        if (processedAt is not null) return EventOutcome.Duplicate;

        var outcome = EventOutcome.Ignored;
        if (_handlers.TryGetValue(type, out var handler))
        {
            using var scope = logger.BeginScope(new Dictionary<string, object> { ["TrueLayerEventId"] = eventId });
            await handler.HandleAsync(payload, connection, tx, ct);
            outcome = EventOutcome.Processed;
        }
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE truelayer_events SET processed_at = now() WHERE event_id = @eventId", new { eventId }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        logger.LogInformation("TrueLayer event {TrueLayerEventId} ({Type}) {Outcome}", eventId, type, outcome);
        return outcome;
    }
}

internal static class TlJson
{
    public static string? Text(JsonNode? node, string name) =>
        node?[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public static string? Metadata(JsonObject payload, string name) => Text(payload["metadata"], name);
}
