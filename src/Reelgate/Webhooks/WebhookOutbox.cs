using Dapper;
using Npgsql;
using Reelgate.Fetch;
using Reelgate.Telemetry;

namespace Reelgate.Webhooks;

/// <summary>A delivery owed; <c>Payload</c> is the stored body of an event that is not about a job (then <c>JobId</c> is null).</summary>
public sealed record DueDelivery(Guid Id, Guid UserId, Guid? JobId, string Event, int Attempts, DateTime CreatedAt, string Url, string Secret, string? Payload = null);

/// <summary>How an attempt leaves its delivery.</summary>
public enum DeliveryOutcome
{
    Delivered,
    /// <summary>Try again after the given wait, unless that falls past the retry window.</summary>
    Retry,
    /// <summary>The receiver answered 410 Gone: stop and disable its endpoint.</summary>
    Gone,
    Abandoned,
}

/// <summary>SQL for the webhook outbox: rows are owed in the job's final transaction and claimed with SKIP LOCKED.</summary>
public sealed class WebhookOutbox(NpgsqlDataSource db)
{
    /// <summary>
    /// Owes <paramref name="eventType"/> for the job if its user has an enabled endpoint; call inside the transaction
    /// that makes the job final. The endpoint row is share-locked so a concurrent removal waits and then sees this row.
    /// </summary>
    public static Task EnqueueAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid jobId, string eventType, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO webhook_deliveries (id, user_id, job_id, event)
            SELECT @id, e.user_id, j.id, @eventType
            FROM jobs j JOIN webhook_endpoints e ON e.user_id = j.user_id AND e.disabled_at IS NULL
            WHERE j.id = @jobId
            FOR SHARE OF e
            ON CONFLICT (job_id, event) DO NOTHING
            """, new { id = Guid.CreateVersion7(), jobId, eventType }, tx, cancellationToken: ct));

    public static Task AbandonPendingAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid userId, string reason, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition("""
            UPDATE webhook_deliveries SET state = 'failed', failure = @reason, finished_at = now()
            WHERE user_id = @userId AND state = 'pending'
            """, new { userId, reason }, tx, cancellationToken: ct));

    /// <summary>Claims due rows of enabled endpoints and pushes them out by <paramref name="lease"/>, so a sender that dies leaves them to another.</summary>
    public async Task<IReadOnlyList<DueDelivery>> ClaimDueAsync(int limit, TimeSpan lease, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<DueDelivery>(new CommandDefinition("""
            UPDATE webhook_deliveries d SET attempts = d.attempts + 1, next_attempt_at = now() + @lease
            FROM (SELECT d.id FROM webhook_deliveries d
                  JOIN webhook_endpoints e ON e.user_id = d.user_id AND e.disabled_at IS NULL
                  WHERE d.state = 'pending' AND d.next_attempt_at <= now()
                  ORDER BY d.next_attempt_at LIMIT @limit FOR UPDATE OF d SKIP LOCKED) due, webhook_endpoints e
            WHERE d.id = due.id AND e.user_id = d.user_id
            RETURNING d.id, d.user_id, d.job_id, d.event, d.attempts, d.created_at, e.url, e.secret, d.payload::text AS payload
            """, new { limit, lease }, cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>
    /// Logs one attempt (when a request was made) and moves the delivery on; returns the state it is left in,
    /// 'failed' for a retry that would fall past <paramref name="retryWindow"/>.
    /// </summary>
    public async Task<string> RecordAsync(DueDelivery delivery, PostAttempt? attempt, DeliveryOutcome outcome, TimeSpan retryAfter,
        TimeSpan retryWindow, string? failure, CancellationToken ct)
    {
        ReelgateMetrics.WebhookDelivery(outcome.ToString().ToLowerInvariant());
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (attempt is not null)
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO webhook_delivery_attempts (delivery_id, attempt, at, status_code, latency_ms, error)
                VALUES (@Id, @Attempts, now() - @elapsed, @statusCode, @latencyMs, @error)
                """, new { delivery.Id, delivery.Attempts, elapsed = attempt.Elapsed, statusCode = attempt.StatusCode,
                    latencyMs = (int)Math.Round(attempt.Elapsed.TotalMilliseconds), error = attempt.Error }, tx, cancellationToken: ct));
        }
        var state = await connection.ExecuteScalarAsync<string>(new CommandDefinition("""
            WITH next AS (
                SELECT CASE WHEN @outcome = 'Delivered' THEN 'delivered'
                            WHEN @outcome = 'Retry' AND created_at + @retryWindow >= now() + @retryAfter THEN 'pending'
                            ELSE 'failed' END AS state
                FROM webhook_deliveries WHERE id = @Id)
            UPDATE webhook_deliveries d SET state = next.state, next_attempt_at = now() + @retryAfter,
                delivered_at = CASE WHEN next.state = 'delivered' THEN now() END,
                finished_at = CASE WHEN next.state <> 'pending' THEN now() END,
                failure = CASE WHEN next.state <> 'failed' THEN NULL
                               WHEN @outcome = 'Retry' THEN 'no attempt succeeded within the retry window'
                               ELSE @failure END
            FROM next WHERE d.id = @Id
            RETURNING d.state
            """, new { delivery.Id, outcome = outcome.ToString(), retryAfter, retryWindow, failure }, tx, cancellationToken: ct));
        if (outcome == DeliveryOutcome.Gone)
        {
            var disabled = await connection.ExecuteAsync(new CommandDefinition("""
                UPDATE webhook_endpoints SET disabled_at = now(), disabled_reason = @failure, updated_at = now()
                WHERE user_id = @UserId AND url = @Url AND disabled_at IS NULL
                """, new { delivery.UserId, delivery.Url, failure }, tx, cancellationToken: ct));
            if (disabled > 0) await AbandonPendingAsync(connection, tx, delivery.UserId, "the webhook endpoint was disabled after answering 410 Gone", ct);
        }
        await tx.CommitAsync(ct);
        return state!;
    }
}
