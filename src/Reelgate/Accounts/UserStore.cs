using System.Data;
using Dapper;
using Npgsql;

namespace Reelgate.Accounts;

public sealed class UserStore(NpgsqlDataSource db)
{
    public const string Columns = "id, email, password_hash, role, plan, referral_code, failed_logins, locked_until, disabled_at, created_at";

    public async Task<UserRecord?> FindByEmailAsync(string email, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<UserRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM users WHERE lower(email) = lower(@email)", new { email }, cancellationToken: ct));
    }

    public async Task<UserRecord?> FindByIdAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<UserRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM users WHERE id = @id", new { id }, cancellationToken: ct));
    }

    public async Task<UserRecord?> FindByReferralCodeAsync(string code, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<UserRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM users WHERE referral_code = upper(@code)", new { code }, cancellationToken: ct));
    }

    /// <summary>Inserts the user and an empty credit account; false when the email is taken.</summary>
    public static async Task<bool> InsertAsync(IDbConnection connection, IDbTransaction tx, UserRecord user, CancellationToken ct)
    {
        var inserted = await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO users (id, email, password_hash, role, plan, referral_code)
            VALUES (@Id, @Email, @PasswordHash, @Role, @Plan, @ReferralCode)
            ON CONFLICT DO NOTHING
            """, user, tx, cancellationToken: ct));
        if (inserted == 0) return false;
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO credit_accounts (user_id) VALUES (@Id)", new { user.Id }, tx, cancellationToken: ct));
        return true;
    }

    /// <summary>The plan shown on the account, kept in step with the user's active subscription by Billing.</summary>
    public static Task SetPlanAsync(IDbConnection connection, IDbTransaction tx, Guid id, string? plan, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET plan = @plan WHERE id = @id AND plan IS DISTINCT FROM @plan", new { id, plan }, tx, cancellationToken: ct));

    public async Task RecordFailedLoginAsync(Guid id, int maxFailures, TimeSpan lockout, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE users SET
                failed_logins = CASE WHEN failed_logins + 1 >= @maxFailures THEN 0 ELSE failed_logins + 1 END,
                locked_until = CASE WHEN failed_logins + 1 >= @maxFailures THEN now() + @lockout ELSE locked_until END
            WHERE id = @id
            """, new { id, maxFailures, lockout }, cancellationToken: ct));
    }

    public async Task ResetFailedLoginsAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = @id AND (failed_logins <> 0 OR locked_until IS NOT NULL)",
            new { id }, cancellationToken: ct));
    }
}
