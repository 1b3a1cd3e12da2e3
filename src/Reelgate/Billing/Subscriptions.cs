using Dapper;
using Npgsql;
using Reelgate.Accounts;

namespace Reelgate.Billing;

public sealed record SubscriptionRecord(string Id, Guid UserId, string? Plan, string Status, DateTime? EndedAt);

/// <summary>
/// Subscription state that does not depend on event order: a state is applied only if its event is not older
/// than the one that set the current state, an ended subscription never becomes active again, and the user's
/// plan is always derived from the subscriptions that are live.
/// </summary>
public static class Subscriptions
{
    private static readonly string[] LiveStatuses = ["active", "trialing", "past_due"];

    public static Task<SubscriptionRecord?> LockAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string id, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<SubscriptionRecord>(new CommandDefinition(
            "SELECT id, user_id, plan, status, ended_at FROM billing_subscriptions WHERE id = @id FOR UPDATE", new { id }, tx, cancellationToken: ct));

    /// <summary>Records a subscription seen at checkout or on an invoice; any state from Stripe's subscription events wins over it.</summary>
    public static async Task EnsureAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string id, Guid userId, string? plan, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO billing_subscriptions (id, user_id, plan, status, state_as_of) VALUES (@id, @userId, @plan, 'active', 'epoch')
            ON CONFLICT (id) DO UPDATE SET plan = coalesce(billing_subscriptions.plan, excluded.plan)
            """, new { id, userId, plan }, tx, cancellationToken: ct));
        await RefreshPlanAsync(connection, tx, userId, ct);
    }

    public static async Task ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string id, Guid userId, string? plan, string status, DateTimeOffset asOf, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO billing_subscriptions (id, user_id, plan, status, state_as_of) VALUES (@id, @userId, @plan, @status, @asOf)
            ON CONFLICT (id) DO UPDATE SET plan = coalesce(excluded.plan, billing_subscriptions.plan), status = excluded.status, state_as_of = excluded.state_as_of
            WHERE billing_subscriptions.ended_at IS NULL AND billing_subscriptions.state_as_of <= excluded.state_as_of
            """, new { id, userId, plan, status, asOf }, tx, cancellationToken: ct));
        await RefreshPlanAsync(connection, tx, userId, ct);
    }

    public static async Task EndAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string id, Guid userId, string? plan, DateTimeOffset endedAt, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO billing_subscriptions (id, user_id, plan, status, state_as_of, ended_at) VALUES (@id, @userId, @plan, 'canceled', @endedAt, @endedAt)
            ON CONFLICT (id) DO UPDATE SET status = 'canceled', ended_at = least(coalesce(billing_subscriptions.ended_at, excluded.ended_at), excluded.ended_at),
                state_as_of = greatest(billing_subscriptions.state_as_of, excluded.state_as_of)
            """, new { id, userId, plan, endedAt }, tx, cancellationToken: ct));
        await RefreshPlanAsync(connection, tx, userId, ct);
    }

    private static async Task RefreshPlanAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid userId, CancellationToken ct)
    {
        var plan = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition("""
            SELECT plan FROM billing_subscriptions
            WHERE user_id = @userId AND ended_at IS NULL AND plan IS NOT NULL AND status = ANY(@LiveStatuses)
            ORDER BY state_as_of DESC, created_at DESC LIMIT 1
            """, new { userId, LiveStatuses }, tx, cancellationToken: ct));
        await UserStore.SetPlanAsync(connection, tx, userId, plan, ct);
    }
}
