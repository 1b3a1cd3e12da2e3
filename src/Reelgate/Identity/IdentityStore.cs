using Dapper;
using Npgsql;

namespace Reelgate.Identity;

public sealed record IdentityRecord(Guid Id, Guid UserId, string Provider, string Subject, string? Email, bool EmailVerified, DateTime CreatedAt, DateTime? LastUsedAt);

/// <summary>What a provider said about the person signing in. Identities are keyed on (provider, subject), never on email.</summary>
public sealed record ExternalLogin(string Provider, string Subject, string? Email, bool EmailVerified);

public sealed class IdentityStore(NpgsqlDataSource db)
{
    private const string Columns = "id, user_id, provider, subject, email, email_verified, created_at, last_used_at";

    public async Task<IReadOnlyList<IdentityRecord>> ListAsync(Guid userId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<IdentityRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM identities WHERE user_id = @userId ORDER BY created_at", new { userId }, cancellationToken: ct));
        return rows.AsList();
    }

    public static Task<IdentityRecord?> FindAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string provider, string subject, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<IdentityRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM identities WHERE provider = @provider AND subject = @subject", new { provider, subject }, tx, cancellationToken: ct));

    public static Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid userId, ExternalLogin login, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO identities (id, user_id, provider, subject, email, email_verified, last_used_at)
            VALUES (@id, @userId, @Provider, @Subject, @Email, @EmailVerified, now())
            """, new { id = Guid.CreateVersion7(), userId, login.Provider, login.Subject, login.Email, login.EmailVerified }, tx, cancellationToken: ct));

    /// <summary>Keeps the recorded email current and notes the use.</summary>
    public static Task TouchAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, Guid identityId, ExternalLogin login, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition("""
            UPDATE identities SET email = coalesce(@Email, email), email_verified = CASE WHEN @Email IS NULL THEN email_verified ELSE @EmailVerified END,
                last_used_at = now()
            WHERE id = @identityId
            """, new { identityId, login.Email, login.EmailVerified }, tx, cancellationToken: ct));

    public enum UnlinkResult { Unlinked, NotFound, LastSignInMethod }

    /// <summary>Refuses to remove the account's last way in: its other identities, or a password.</summary>
    public async Task<UnlinkResult> UnlinkAsync(Guid userId, Guid identityId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var hasPassword = await connection.QuerySingleOrDefaultAsync<bool?>(new CommandDefinition(
            "SELECT password_hash <> '' FROM users WHERE id = @userId FOR UPDATE", new { userId }, tx, cancellationToken: ct));
        var ids = (await connection.QueryAsync<Guid>(new CommandDefinition(
            "SELECT id FROM identities WHERE user_id = @userId", new { userId }, tx, cancellationToken: ct))).AsList();
        if (hasPassword is null || !ids.Contains(identityId)) return UnlinkResult.NotFound;
        if (hasPassword == false && ids.Count == 1) return UnlinkResult.LastSignInMethod;
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM identities WHERE id = @identityId AND user_id = @userId", new { identityId, userId }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return UnlinkResult.Unlinked;
    }
}
