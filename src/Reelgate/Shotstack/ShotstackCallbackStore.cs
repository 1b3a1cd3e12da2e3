using Dapper;
using Npgsql;

namespace Reelgate.Shotstack;

public sealed record DueCallback(long Id, Guid JobId, string Url, int Attempts);

/// <summary>SQL for the callback outbox: rows are owed in the job's final transaction and claimed with SKIP LOCKED.</summary>
public sealed class ShotstackCallbackStore(NpgsqlDataSource db)
{
    /// <summary>Owes the job's callback, if its Edit had one; call inside the transaction that makes the job final.</summary>
    public static Task EnqueueAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid jobId, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO shotstack_callbacks (job_id, url)
            SELECT id, callback_url FROM jobs WHERE id = @jobId AND callback_url IS NOT NULL
            ON CONFLICT (job_id) DO NOTHING
            """, new { jobId }, tx, cancellationToken: ct));

    /// <summary>Claims due rows and pushes them out by <paramref name="lease"/>, so a sender that dies leaves them to another.</summary>
    public async Task<IReadOnlyList<DueCallback>> ClaimDueAsync(int limit, TimeSpan lease, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<DueCallback>(new CommandDefinition("""
            UPDATE shotstack_callbacks c SET attempts = c.attempts + 1, next_attempt_at = now() + @lease
            FROM (SELECT id FROM shotstack_callbacks WHERE state = 'pending' AND next_attempt_at <= now()
                  ORDER BY next_attempt_at LIMIT @limit FOR UPDATE SKIP LOCKED) due
            WHERE c.id = due.id
            RETURNING c.id, c.job_id, c.url, c.attempts
            """, new { limit, lease }, cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>Records one attempt and the row's next state: delivered, failed for good, or retried at <paramref name="retryAfter"/>.</summary>
    public async Task RecordAsync(DueCallback callback, int? statusCode, string? error, TimeSpan elapsed, string state, TimeSpan retryAfter, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO shotstack_callback_attempts (callback_id, attempt, status_code, error, elapsed_ms)
            VALUES (@Id, @Attempts, @statusCode, @error, @elapsedMs)
            """, new { callback.Id, callback.Attempts, statusCode, error, elapsedMs = (int)elapsed.TotalMilliseconds }, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE shotstack_callbacks SET state = @state, next_attempt_at = now() + @retryAfter,
                finished_at = CASE WHEN @state = 'pending' THEN NULL ELSE now() END
            WHERE id = @Id
            """, new { callback.Id, state, retryAfter }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
    }
}
