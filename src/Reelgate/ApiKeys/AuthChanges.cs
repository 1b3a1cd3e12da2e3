using System.Diagnostics;
using Dapper;
using Npgsql;
using Reelgate.Data;

namespace Reelgate.ApiKeys;

/// <summary>
/// Announces revocations and disabled users to every instance and waits until each live, listening instance
/// has dropped what it cached, so a revoked key fails at once everywhere.
/// </summary>
public sealed class AuthChanges(NpgsqlDataSource db, ILogger<AuthChanges> logger)
{
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(3);

    /// <summary>Call inside the transaction that makes the change; await the returned wait after committing.</summary>
    public static async Task<long> AnnounceAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string subject, CancellationToken ct)
    {
        var seq = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT nextval('auth_change_seq')", transaction: tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_notify(@channel, @payload)",
            new { channel = Channels.Auth, payload = $"{subject}|{seq}" }, tx, cancellationToken: ct));
        return seq;
    }

    public async Task WaitForAllAsync(long seq, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        await using var connection = await db.OpenConnectionAsync(ct);
        while (true)
        {
            var behind = await connection.ExecuteScalarAsync<int>(new CommandDefinition("""
                SELECT count(*) FROM app_instances
                WHERE listening AND heartbeat_at > now() - @stale AND auth_seq < @seq
                """, new { seq, stale = AppInstance.StaleAfter }, cancellationToken: ct));
            if (behind == 0) return;
            if (clock.Elapsed > MaxWait)
            {
                logger.LogWarning("{Count} instance(s) did not confirm auth change {Seq} within {Wait}", behind, seq, MaxWait);
                return;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(5), ct);
        }
    }
}
