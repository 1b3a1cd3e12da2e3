using System.Text.Json;
using Dapper;
using Npgsql;
using Reelgate.Common;

namespace Reelgate.Billing.TrueLayer;

/// <summary>The body's <c>data</c> of a <c>subscription.payment_failed</c> webhook.</summary>
public sealed record PaymentFailedNotice(Guid UserId, string Plan, Guid PaymentId, int Period, int Attempt, int MaxAttempts, string FailureReason,
    DateTime? NextAttemptAt, bool PlanEnded);

/// <summary>Owes the user's webhook endpoint a <c>subscription.payment_failed</c> event, in the transaction that records the failure.</summary>
public sealed class SubscriptionNotices
{
    public const string PaymentFailed = "subscription.payment_failed";

    public sealed record Body(string Type, DateTime Timestamp, PaymentFailedNotice Data);

    public Task PaymentFailedAsync(NpgsqlConnection connection, NpgsqlTransaction tx, PaymentFailedNotice notice, CancellationToken ct)
    {
        var payload = JsonSerializer.Serialize(new Body(PaymentFailed, DateTime.UtcNow, notice), Json.Options);
        return connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO webhook_deliveries (id, user_id, job_id, event, payload, event_key)
            SELECT @id, e.user_id, NULL, @PaymentFailed, @payload::jsonb, @key
            FROM webhook_endpoints e WHERE e.user_id = @UserId AND e.disabled_at IS NULL
            FOR SHARE OF e
            ON CONFLICT (event_key) DO NOTHING
            """, new { id = Guid.CreateVersion7(), PaymentFailed, payload, key = $"{PaymentFailed}:{notice.PaymentId}", notice.UserId }, tx, cancellationToken: ct));
    }
}
