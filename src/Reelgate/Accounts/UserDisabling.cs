using Dapper;
using Npgsql;
using Reelgate.ApiKeys;
using Reelgate.Common;

namespace Reelgate.Accounts;

/// <summary>Disables a user (audited) and returns once every instance has dropped their keys and sessions.</summary>
public static class UserDisabling
{
    /// <summary>False when there is no such user.</summary>
    public static async Task<bool> DisableAsync(NpgsqlDataSource db, AuthChanges authChanges, Guid actorId, Guid userId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var found = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET disabled_at = coalesce(disabled_at, now()) WHERE id = @userId", new { userId }, tx, cancellationToken: ct));
        if (found == 0) return false;
        await Audit.WriteAsync(connection, tx, actorId, "user.disable", "user", userId.ToString(), new { }, ct);
        var seq = await AuthChanges.AnnounceAsync(connection, tx, ApiKeyCache.UserPayload(userId), ct);
        await tx.CommitAsync(ct);
        await authChanges.WaitForAllAsync(seq, ct);
        return true;
    }
}
