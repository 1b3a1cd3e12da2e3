using System.Collections.Concurrent;
using Npgsql;

namespace Reelgate.Data;

public static class Channels
{
    public const string Auth = "reelgate_auth";
    public const string Jobs = "reelgate_jobs";
    /// <summary>"&lt;job id&gt;:&lt;status&gt;" on every status change, sent by a trigger on jobs (migration 0023).</summary>
    public const string JobStatus = "reelgate_job_status";
    public static readonly string[] All = [Auth, Jobs, JobStatus];
}

/// <summary>
/// One LISTEN connection per process. Subscribers get every payload on their channel; auth changes are then
/// acknowledged in app_instances. While the connection is down, <see cref="IsListening"/> is false so caches
/// stop trusting themselves.
/// </summary>
public sealed class Notifications(NpgsqlDataSource db, AppInstance instance, DatabaseAvailability database, ILogger<Notifications> logger)
    : BackgroundService
{
    private readonly ConcurrentDictionary<string, List<Action<string>>> _subscribers = new(StringComparer.Ordinal);
    private volatile bool _listening;

    public bool IsListening => _listening;

    public void Subscribe(string channel, Action<string> handler)
    {
        var list = _subscribers.GetOrAdd(channel, _ => []);
        lock (list) list.Add(handler);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await db.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, e) => Dispatch(e.Channel, e.Payload);
                foreach (var channel in Channels.All)
                {
                    await using var listen = new NpgsqlCommand($"LISTEN {channel}", connection);
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                try
                {
                    await instance.RegisterAsync(connection, stoppingToken);
                    _listening = instance.Listening = true;
                    database.RecordReachable();
                    while (!stoppingToken.IsCancellationRequested)
                    {
                        if (!await connection.WaitAsync(TimeSpan.FromSeconds(30), stoppingToken))
                        {
                            await using var ping = new NpgsqlCommand("SELECT 1", connection);
                            await ping.ExecuteScalarAsync(stoppingToken);
                        }
                    }
                }
                finally
                {
                    // Pooled connections are not reset on return, so one still open goes back without its subscriptions.
                    if (connection.FullState == System.Data.ConnectionState.Open)
                    {
                        await using var unlisten = new NpgsqlCommand("UNLISTEN *", connection);
                        await unlisten.ExecuteNonQueryAsync(CancellationToken.None);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                _listening = instance.Listening = false;
                Dispatch(Channels.Auth, "reset");
                if (!database.RecordIfOutage(ex)) logger.LogWarning(ex, "Notification listener lost its connection; retrying");
                try { await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken); }
                catch (OperationCanceledException) { break; }
            }
        }
        _listening = instance.Listening = false;
    }

    private void Dispatch(string channel, string payload)
    {
        // Auth changes carry "subject|seq": subscribers get the subject, the sequence is acknowledged once all ran.
        long? seq = null;
        if (channel == Channels.Auth && payload.LastIndexOf('|') is > 0 and var bar && long.TryParse(payload.AsSpan(bar + 1), out var parsed))
        {
            seq = parsed;
            payload = payload[..bar];
        }
        if (_subscribers.TryGetValue(channel, out var list))
        {
            Action<string>[] handlers;
            lock (list) handlers = [.. list];
            foreach (var handler in handlers)
            {
                try { handler(payload); }
                catch (Exception ex) { logger.LogError(ex, "Notification handler failed on {Channel}", channel); }
            }
        }
        if (seq is { } applied) _ = instance.AcknowledgeAsync(applied);
    }
}
