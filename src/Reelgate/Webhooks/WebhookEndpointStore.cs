using Dapper;
using Npgsql;

namespace Reelgate.Webhooks;

public sealed record WebhookEndpoint(string Url, string Secret, DateTime CreatedAt, DateTime UpdatedAt, DateTime? DisabledAt, string? DisabledReason);

/// <summary>SQL for users' webhook endpoints; every call is scoped by the user id.</summary>
public sealed class WebhookEndpointStore(NpgsqlDataSource db)
{
    private const string Columns = "url, secret, created_at, updated_at, disabled_at, disabled_reason";

    public async Task<WebhookEndpoint?> GetAsync(Guid userId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<WebhookEndpoint>(new CommandDefinition(
            $"SELECT {Columns} FROM webhook_endpoints WHERE user_id = @userId", new { userId }, cancellationToken: ct));
    }

    /// <summary>Sets the URL and enables the endpoint; the secret is made on first use and replaced only when asked.</summary>
    public async Task<WebhookEndpoint> PutAsync(Guid userId, string url, bool rotateSecret, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleAsync<WebhookEndpoint>(new CommandDefinition($"""
            INSERT INTO webhook_endpoints (user_id, url, secret) VALUES (@userId, @url, @secret)
            ON CONFLICT (user_id) DO UPDATE SET url = excluded.url,
                secret = CASE WHEN @rotateSecret THEN excluded.secret ELSE webhook_endpoints.secret END,
                disabled_at = NULL, disabled_reason = NULL, updated_at = now()
            RETURNING {Columns}
            """, new { userId, url, secret = WebhookSignature.NewSecret(), rotateSecret }, cancellationToken: ct));
    }

    /// <summary>Removes the endpoint and gives up the deliveries still owed to it; false when there was none.</summary>
    public async Task<bool> DeleteAsync(Guid userId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var deleted = await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM webhook_endpoints WHERE user_id = @userId", new { userId }, tx, cancellationToken: ct));
        await WebhookOutbox.AbandonPendingAsync(connection, tx, userId, "the webhook endpoint was removed", ct);
        await tx.CommitAsync(ct);
        return deleted > 0;
    }
}
