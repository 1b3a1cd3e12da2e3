using Dapper;
using Npgsql;

namespace Reelgate.ApiKeys;

public sealed record ApiKeyRecord(Guid Id, string Name, string Prefix, DateTime CreatedAt, DateTime? LastUsedAt, DateTime? RevokedAt);

/// <summary>What authentication needs to know about a key, cached per process.</summary>
public sealed record KeyIdentity(Guid KeyId, Guid UserId, string Email, string Role, string? Plan, string ReferralCode, byte[] KeyHash, int? RateLimitRequests, int? RateLimitWindow);

public sealed class ApiKeyStore(NpgsqlDataSource db, AuthChanges authChanges)
{
    public async Task<(ApiKeyRecord Record, string Key)> CreateAsync(Guid userId, string name, CancellationToken ct)
    {
        var key = ApiKeyFormat.Generate();
        await using var connection = await db.OpenConnectionAsync(ct);
        var record = await connection.QuerySingleAsync<ApiKeyRecord>(new CommandDefinition("""
            INSERT INTO api_keys (id, user_id, name, prefix, key_hash)
            VALUES (@id, @userId, @name, @prefix, @hash)
            RETURNING id, name, prefix, created_at, last_used_at, revoked_at
            """, new { id = Guid.CreateVersion7(), userId, name, prefix = ApiKeyFormat.Prefix(key), hash = ApiKeyFormat.Hash(key) }, cancellationToken: ct));
        return (record, key);
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListAsync(Guid userId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<ApiKeyRecord>(new CommandDefinition("""
            SELECT id, name, prefix, created_at, last_used_at, revoked_at FROM api_keys
            WHERE user_id = @userId ORDER BY created_at DESC
            """, new { userId }, cancellationToken: ct));
        return rows.AsList();
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
        var seq = await AuthChanges.AnnounceAsync(connection, tx, ApiKeyCache.KeyPayload(hash), ct);
        await tx.CommitAsync(ct);
        await authChanges.WaitForAllAsync(seq, ct);
        return true;
    }

    public async Task<KeyIdentity?> FindActiveAsync(byte[] hash, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<KeyIdentity>(new CommandDefinition("""
            SELECT k.id AS key_id, k.user_id, u.email, u.role, u.plan, u.referral_code, k.key_hash, k.rate_limit_requests, k.rate_limit_window
            FROM api_keys k JOIN users u ON u.id = k.user_id
            WHERE k.key_hash = @hash AND k.revoked_at IS NULL AND u.disabled_at IS NULL
            """, new { hash }, cancellationToken: ct));
    }
}
