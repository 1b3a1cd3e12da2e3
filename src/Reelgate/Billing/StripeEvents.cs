using System.Text.Json;
using Dapper;
using Npgsql;

namespace Reelgate.Billing;

/// <summary>A verified Stripe event: its id, type, creation time and <c>data.object</c>.</summary>
public sealed record StripeEvent(string Id, string Type, DateTimeOffset Created, JsonElement Object)
{
    public static StripeEvent? Parse(ReadOnlySpan<byte> body)
    {
        try
        {
            var root = JsonDocument.Parse(body.ToArray()).RootElement;
            if (root.Text("id") is not { } id || root.Text("type") is not { } type || root.At("data.object") is not { ValueKind: JsonValueKind.Object } data)
            {
                return null;
            }
            return new StripeEvent(id, type, root.Time("created") ?? DateTimeOffset.UnixEpoch, data.Clone());
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>Handles one Stripe event type inside the transaction that marks the event processed.</summary>
public interface IStripeEventHandler
{
    string EventType { get; }

    Task HandleAsync(StripeEvent stripeEvent, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct);
}

public enum EventOutcome { Processed, Duplicate, Ignored }

/// <summary>Stores each event once by id and runs its handler once: the handler's work and the processed mark commit together.</summary>
public sealed class StripeEventProcessor(NpgsqlDataSource db, IEnumerable<IStripeEventHandler> handlers, ILogger<StripeEventProcessor> logger)
{
    private readonly Dictionary<string, IStripeEventHandler> _handlers = handlers.ToDictionary(h => h.EventType, StringComparer.Ordinal);

    public async Task<EventOutcome> ProcessAsync(StripeEvent stripeEvent, string payload, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO stripe_events (id, type, created, payload) VALUES (@Id, @Type, @Created, @payload::jsonb) ON CONFLICT (id) DO NOTHING
            """, new { stripeEvent.Id, stripeEvent.Type, stripeEvent.Created, payload }, cancellationToken: ct));

        await using var tx = await connection.BeginTransactionAsync(ct);
        var processedAt = await connection.QuerySingleAsync<DateTime?>(new CommandDefinition(
            "SELECT processed_at FROM stripe_events WHERE id = @Id FOR UPDATE", new { stripeEvent.Id }, tx, cancellationToken: ct));
        if (processedAt is not null) return EventOutcome.Duplicate;

        var outcome = EventOutcome.Ignored;
        if (_handlers.TryGetValue(stripeEvent.Type, out var handler))
        {
            using var scope = logger.BeginScope(new Dictionary<string, object> { ["StripeEventId"] = stripeEvent.Id });
            await handler.HandleAsync(stripeEvent, connection, tx, ct);
            outcome = EventOutcome.Processed;
        }
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE stripe_events SET processed_at = now() WHERE id = @Id", new { stripeEvent.Id }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        logger.LogInformation("Stripe event {StripeEventId} ({Type}) {Outcome}", stripeEvent.Id, stripeEvent.Type, outcome);
        return outcome;
    }
}
