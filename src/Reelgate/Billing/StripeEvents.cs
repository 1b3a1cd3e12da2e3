using Dapper;
using Npgsql;
using Stripe;

namespace Reelgate.Billing;

/// <summary>Handles one Stripe event type inside the transaction that marks the event processed.</summary>
public interface IStripeEventHandler
{
    string EventType { get; }

    Task HandleAsync(Event stripeEvent, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct);
}

public enum EventOutcome { Processed, Duplicate, Ignored }

/// <summary>Stores each event once by id and runs its handler once: the handler's work and the processed mark commit together.</summary>
public sealed class StripeEventProcessor(NpgsqlDataSource db, IEnumerable<IStripeEventHandler> handlers, ILogger<StripeEventProcessor> logger)
{
    private readonly Dictionary<string, IStripeEventHandler> _handlers = handlers.ToDictionary(h => h.EventType, StringComparer.Ordinal);

    public async Task<EventOutcome> ProcessAsync(Event stripeEvent, string payload, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO stripe_events (id, type, created, payload) VALUES (@Id, @Type, @Created, @payload::jsonb) ON CONFLICT (id) DO NOTHING
            """, new { stripeEvent.Id, stripeEvent.Type, Created = StripeTimes.Utc(stripeEvent.Created), payload }, cancellationToken: ct));

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

internal static class StripeTimes
{
    /// <summary>Stripe.net reads Unix times into DateTimes that mean UTC.</summary>
    public static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    public static DateTimeOffset? Utc(DateTime? value) => value is { } time ? Utc(time) : null;
}
