using Dapper;
using Npgsql;

namespace Reelgate.Data;

/// <summary>This process's row in app_instances: heartbeat, whether its listener is up, and the auth changes it applied.</summary>
public sealed class AppInstance(NpgsqlDataSource db, DatabaseAvailability database, ILogger<AppInstance> logger) : BackgroundService
{
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private readonly SemaphoreSlim _ackLock = new(1, 1);
    private long _acknowledged;

    public Guid Id { get; } = Guid.CreateVersion7();

    /// <summary>Set by the notification listener; only a listening instance may serve auth from its cache.</summary>
    public bool Listening { get; set; }

    /// <summary>Records this instance as live and listening, on the listener's own connection, before caching starts.</summary>
    public Task RegisterAsync(NpgsqlConnection connection, CancellationToken ct) => UpsertAsync(connection, listening: true, ct);

    private Task UpsertAsync(NpgsqlConnection connection, bool listening, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO app_instances (id, listening, auth_seq)
            VALUES (@Id, @listening, (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM auth_change_seq))
            ON CONFLICT (id) DO UPDATE SET heartbeat_at = now(), listening = excluded.listening
            """, new { Id, listening }, cancellationToken: ct));

    public async Task AcknowledgeAsync(long seq)
    {
        await _ackLock.WaitAsync();
        try
        {
            if (seq <= _acknowledged) return;
            _acknowledged = seq;
            await using var connection = await db.OpenConnectionAsync();
            await connection.ExecuteAsync("UPDATE app_instances SET auth_seq = greatest(auth_seq, @seq) WHERE id = @Id", new { seq, Id });
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            if (!database.RecordIfOutage(ex)) logger.LogWarning(ex, "Could not acknowledge auth change {Seq}", seq);
        }
        finally
        {
            _ackLock.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            do
            {
                try
                {
                    await using var connection = await db.OpenConnectionAsync(stoppingToken);
                    // A new row starts at the current sequence: changes made before this process started are not in its cache.
                    await UpsertAsync(connection, Listening, stoppingToken);
                    await connection.ExecuteAsync(new CommandDefinition(
                        "DELETE FROM app_instances WHERE heartbeat_at < now() - interval '1 day'", cancellationToken: stoppingToken));
                    database.RecordReachable();
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    if (!database.RecordIfOutage(ex)) logger.LogWarning(ex, "Instance heartbeat failed");
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await using var connection = await db.OpenConnectionAsync(cancellationToken);
            await connection.ExecuteAsync("DELETE FROM app_instances WHERE id = @Id", new { Id });
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or OperationCanceledException or ObjectDisposedException)
        {
            logger.LogWarning(ex, "Could not remove instance row at shutdown");
        }
    }
}
