using Dapper;
using Npgsql;

namespace Reelgate.Billing;

/// <summary>Which Stripe customer belongs to which user.</summary>
public sealed class BillingCustomers(NpgsqlDataSource db)
{
    public async Task<string?> FindCustomerAsync(Guid userId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT customer_id FROM billing_customers WHERE user_id = @userId", new { userId }, cancellationToken: ct));
    }

    /// <summary>Keeps the first customer recorded for the user and returns it.</summary>
    public async Task<string> SaveAsync(Guid userId, string customerId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleAsync<string>(new CommandDefinition("""
            INSERT INTO billing_customers (user_id, customer_id) VALUES (@userId, @customerId)
            ON CONFLICT (user_id) DO UPDATE SET customer_id = billing_customers.customer_id
            RETURNING customer_id
            """, new { userId, customerId }, cancellationToken: ct));
    }

    /// <summary>The user a Stripe object belongs to: our <c>user_id</c> metadata, else its customer.</summary>
    public static async Task<Guid?> ResolveUserAsync(NpgsqlConnection connection, NpgsqlTransaction tx, IReadOnlyDictionary<string, string>? metadata, string? customerId, CancellationToken ct)
    {
        if (metadata?.GetValueOrDefault("user_id") is { } text && Guid.TryParse(text, out var userId)) return userId;
        if (customerId is null) return null;
        return await connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(
            "SELECT user_id FROM billing_customers WHERE customer_id = @customerId", new { customerId }, tx, cancellationToken: ct));
    }
}
