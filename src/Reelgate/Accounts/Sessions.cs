using Dapper;
using Npgsql;
using Reelgate.ApiKeys;
using Reelgate.Common;

namespace Reelgate.Accounts;

/// <summary>
/// Every browser sign-in is a row, so signing out (or an admin ending a user's sessions) is seen by every instance:
/// the change is announced like a key revocation and waited for.
/// </summary>
public sealed class Sessions(NpgsqlDataSource db, AuthChanges authChanges)
{
    public static string SessionPayload(Guid sessionId) => "session:" + sessionId.ToString("N");

    public async Task<Guid> StartAsync(Guid userId, string method, CancellationToken ct)
    {
        var id = Guid.CreateVersion7();
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO sessions (id, user_id, method) VALUES (@id, @userId, @method)", new { id, userId, method }, cancellationToken: ct));
        return id;
    }

    /// <summary>True while the session is open and its user is not disabled.</summary>
    public async Task<bool> IsActiveAsync(Guid sessionId, Guid userId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition("""
            SELECT EXISTS (SELECT 1 FROM sessions s JOIN users u ON u.id = s.user_id
                           WHERE s.id = @sessionId AND s.user_id = @userId AND s.ended_at IS NULL AND u.disabled_at IS NULL)
            """, new { sessionId, userId }, cancellationToken: ct));
    }

    public async Task EndAsync(Guid sessionId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE sessions SET ended_at = now() WHERE id = @sessionId AND ended_at IS NULL", new { sessionId }, tx, cancellationToken: ct));
        var seq = await AuthChanges.AnnounceAsync(connection, tx, SessionPayload(sessionId), ct);
        await tx.CommitAsync(ct);
        await authChanges.WaitForAllAsync(seq, ct);
    }

    /// <summary>Ends every open session of the user (audited); returns how many were open.</summary>
    public async Task<int> EndAllAsync(Guid actorId, Guid userId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var ended = await EndAllAsync(connection, tx, userId, ct);
        await Audit.WriteAsync(connection, tx, actorId, "user.end-sessions", "user", userId.ToString(), new { ended }, ct);
        var seq = await AuthChanges.AnnounceAsync(connection, tx, ApiKeyCache.UserPayload(userId), ct);
        await tx.CommitAsync(ct);
        await authChanges.WaitForAllAsync(seq, ct);
        return ended;
    }

    /// <summary>In the caller's transaction; the caller announces the user change.</summary>
    public static Task<int> EndAllAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid userId, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            "UPDATE sessions SET ended_at = now() WHERE user_id = @userId AND ended_at IS NULL", new { userId }, tx, cancellationToken: ct));
}
