using Dapper;
using Npgsql;

namespace Reelgate.Jobs;

/// <summary>
/// Each provider's requests-per-second quota as a token bucket in PostgreSQL, so every instance together stays under it.
/// A bucket holds at most one second of requests and refills as time passes; the poller takes tokens for a batch before
/// claiming it and gives back those it did not use.
/// </summary>
public sealed class ProviderRateBuckets(NpgsqlDataSource db)
{
    /// <summary>Up to <paramref name="wanted"/> tokens, fewer (or none) when the quota is spent.</summary>
    public async Task<int> TakeAsync(string provider, double perSecond, int wanted, CancellationToken ct)
    {
        if (perSecond <= 0) return wanted;
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition("""
            INSERT INTO provider_rate_buckets AS b (provider, tokens, last_taken, refilled_at)
            VALUES (@provider, @burst - least(@wanted, floor(@burst)), least(@wanted, floor(@burst)), now())
            ON CONFLICT (provider) DO UPDATE SET
                last_taken = least(@wanted, floor(least(@burst, b.tokens + greatest(0, extract(epoch FROM now() - b.refilled_at)) * @perSecond))),
                tokens = least(@burst, b.tokens + greatest(0, extract(epoch FROM now() - b.refilled_at)) * @perSecond)
                    - least(@wanted, floor(least(@burst, b.tokens + greatest(0, extract(epoch FROM now() - b.refilled_at)) * @perSecond))),
                refilled_at = greatest(b.refilled_at, now())
            RETURNING last_taken
            """, new { provider, perSecond, wanted, burst = Math.Max(1, perSecond) }, cancellationToken: ct));
    }

    public async Task GiveBackAsync(string provider, double perSecond, int unused, CancellationToken ct)
    {
        if (perSecond <= 0 || unused <= 0) return;
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE provider_rate_buckets SET tokens = least(@burst, tokens + @unused) WHERE provider = @provider",
            new { provider, unused, burst = Math.Max(1, perSecond) }, cancellationToken: ct));
    }
}
