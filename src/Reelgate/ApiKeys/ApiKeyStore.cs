using Dapper;
using Npgsql;

namespace Reelgate.ApiKeys;

/// <remarks>Scopes arrive space-separated: Dapper cannot bind a text[] column to a record's constructor.</remarks>
public sealed record ApiKeyRecord(Guid Id, string Name, string Prefix, string ScopeList, DateTime CreatedAt, DateTime? LastUsedAt, DateTime? RevokedAt,
    DateTime? ExpiresAt, Guid? ReplacedBy, int? RateLimitRequests, int? RateLimitWindow)
{
    public string[] Scopes => ScopeList.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public bool IsActive(DateTime now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);
}

/// <summary>What authentication needs to know about a key, cached per process.</summary>
public sealed record KeyIdentity(Guid KeyId, Guid UserId, string Email, string Role, string? Plan, string ReferralCode, byte[] KeyHash,
    int? RateLimitRequests, int? RateLimitWindow, string ScopeList, DateTime? ExpiresAt)
{
    public string[] Scopes => ScopeList.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>What a new key gets: its name, scopes, expiry and limit.</summary>
public sealed record KeySpec(string Name, IReadOnlyList<string> Scopes, DateTime? ExpiresAt = null, int? RateLimitRequests = null, int? RateLimitWindow = null);

public sealed partial class ApiKeyStore(NpgsqlDataSource db, AuthChanges authChanges)
{
    private const string Columns = "id, name, prefix, array_to_string(scopes, ' ') AS scope_list, created_at, last_used_at, revoked_at, expires_at, replaced_by, rate_limit_requests, rate_limit_window";

    public async Task<(ApiKeyRecord Record, string Key)> CreateAsync(Guid userId, KeySpec spec, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await InsertAsync(connection, null, userId, spec, ct);
    }

    private static async Task<(ApiKeyRecord Record, string Key)> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, Guid userId, KeySpec spec, CancellationToken ct)
    {
        var key = ApiKeyFormat.Generate();
        var record = await connection.QuerySingleAsync<ApiKeyRecord>(new CommandDefinition($"""
            INSERT INTO api_keys (id, user_id, name, prefix, key_hash, scopes, expires_at, rate_limit_requests, rate_limit_window)
            VALUES (@id, @userId, @Name, @prefix, @hash, @scopes, @ExpiresAt, @RateLimitRequests, @RateLimitWindow)
            RETURNING {Columns}
            """, new
        {
            id = Guid.CreateVersion7(), userId, spec.Name, prefix = ApiKeyFormat.Prefix(key), hash = ApiKeyFormat.Hash(key),
            scopes = spec.Scopes.Distinct(StringComparer.Ordinal).ToArray(), spec.ExpiresAt, spec.RateLimitRequests, spec.RateLimitWindow,
        }, tx, cancellationToken: ct));
        return (record, key);
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListAsync(Guid userId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<ApiKeyRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM api_keys WHERE user_id = @userId ORDER BY created_at DESC", new { userId }, cancellationToken: ct));
        return rows.AsList();
    }

    public async Task<ApiKeyRecord?> FindAsync(Guid userId, Guid keyId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<ApiKeyRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM api_keys WHERE id = @keyId AND user_id = @userId", new { keyId, userId }, cancellationToken: ct));
    }

    /// <summary>Revokes the caller's key and returns once every listening instance has been told.</summary>
    public async Task<bool> RevokeAsync(Guid userId, Guid keyId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var hash = await connection.QuerySingleOrDefaultAsync<byte[]>(new CommandDefinition("""
            UPDATE api_keys SET revoked_at = coalesce(revoked_at, now())
            WHERE id = @keyId AND user_id = @userId RETURNING key_hash
            """, new { keyId, userId }, tx, cancellationToken: ct));
        if (hash is null) return false;
        await AnnounceAndCommitAsync(connection, tx, hash, ct);
        return true;
    }

    private async Task AnnounceAndCommitAsync(NpgsqlConnection connection, NpgsqlTransaction tx, byte[] hash, CancellationToken ct)
    {
        var seq = await AuthChanges.AnnounceAsync(connection, tx, ApiKeyCache.KeyPayload(hash), ct);
        await tx.CommitAsync(ct);
        await authChanges.WaitForAllAsync(seq, ct);
    }

    /// <summary>The key by hash whether or not it is still usable, so an expired key can be told apart from an unknown one.</summary>
    public async Task<KeyIdentity?> FindUnrevokedAsync(byte[] hash, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<KeyIdentity>(new CommandDefinition("""
            SELECT k.id AS key_id, k.user_id, u.email, u.role, u.plan, u.referral_code, k.key_hash, k.rate_limit_requests, k.rate_limit_window,
                   array_to_string(k.scopes, ' ') AS scope_list, k.expires_at
            FROM api_keys k JOIN users u ON u.id = k.user_id
            WHERE k.key_hash = @hash AND k.revoked_at IS NULL AND u.disabled_at IS NULL
            """, new { hash }, cancellationToken: ct));
    }
}
