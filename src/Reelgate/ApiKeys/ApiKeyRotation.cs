using Dapper;
using Npgsql;
using Reelgate.Common;

namespace Reelgate.ApiKeys;

public abstract record RotateResult
{
    public sealed record Rotated(ApiKeyRecord Key, string Secret, DateTime OldKeyEndsAt) : RotateResult;
    public sealed record NotFound : RotateResult;
    /// <summary>Revoked, expired or already rotated: only a live key is replaced.</summary>
    public sealed record Inactive : RotateResult;
}

public sealed partial class ApiKeyStore
{
    /// <summary>
    /// Issues a key with the old one's name, scopes, expiry and limit, and ends the old one after the grace period. The old
    /// key's cached copies are dropped on every instance, so each one reads its new end time.
    /// </summary>
    public async Task<RotateResult> RotateAsync(Guid userId, Guid keyId, TimeSpan grace, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var old = await connection.QuerySingleOrDefaultAsync<ApiKeyRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM api_keys WHERE id = @keyId AND user_id = @userId FOR UPDATE", new { keyId, userId }, tx, cancellationToken: ct));
        if (old is null) return new RotateResult.NotFound();
        if (!old.IsActive(DateTime.UtcNow) || old.ReplacedBy is not null) return new RotateResult.Inactive();

        var (created, secret) = await InsertAsync(connection, tx, userId,
            new KeySpec(old.Name, old.Scopes, old.ExpiresAt, old.RateLimitRequests, old.RateLimitWindow), ct);
        var (hash, endsAt) = await connection.QuerySingleAsync<(byte[], DateTime)>(new CommandDefinition("""
            UPDATE api_keys SET replaced_by = @newId, expires_at = least(coalesce(expires_at, 'infinity'), now() + @grace)
            WHERE id = @keyId RETURNING key_hash, expires_at
            """, new { keyId, newId = created.Id, grace }, tx, cancellationToken: ct));
        await AnnounceAndCommitAsync(connection, tx, hash, ct);
        return new RotateResult.Rotated(created, secret, endsAt);
    }

    /// <summary>An admin sets or clears a key's own rate limit; false when there is no such key.</summary>
    public async Task<bool> SetRateLimitAsync(Guid actorId, Guid keyId, int? requests, int? windowSeconds, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var hash = await connection.QuerySingleOrDefaultAsync<byte[]>(new CommandDefinition("""
            UPDATE api_keys SET rate_limit_requests = @requests, rate_limit_window = @windowSeconds WHERE id = @keyId RETURNING key_hash
            """, new { keyId, requests, windowSeconds }, tx, cancellationToken: ct));
        if (hash is null) return false;
        await Audit.WriteAsync(connection, tx, actorId, "key.rate-limit", "api_key", keyId.ToString(), new { requests, windowSeconds }, ct);
        await AnnounceAndCommitAsync(connection, tx, hash, ct);
        return true;
    }
}
