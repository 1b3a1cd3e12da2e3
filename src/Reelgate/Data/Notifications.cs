using System.Collections.Concurrent;
using Npgsql;

namespace Reelgate.Data;

public static class Channels
{
    public const string Auth = "reelgate_auth";
    public const string Jobs = "reelgate_jobs";
    public static readonly string[] All = [Auth, Jobs];
}

/// <summary>
/// One LISTEN connection per process. Subscribers get every payload on their channel; while the connection is
/// down, <see cref="IsListening"/> is false so caches stop trusting themselves.
/// </summary>
public sealed class Notifications(NpgsqlDataSource db, ILogger<Notifications> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, List<Action<string>>> _subscribers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string, string), TaskCompletionSource> _echoes = new();
    private volatile bool _listening;

    public bool IsListening => _listening;

    public void Subscribe(string channel, Action<string> handler)
    {
        var list = _subscribers.GetOrAdd(channel, _ => []);
        lock (list) list.Add(handler);
    }

    /// <summary>Completes when this process sees the payload, i.e. PostgreSQL has delivered it to every listener.</summary>
    /// <remarks>Call before committing the NOTIFY, await after.</remarks>
    public async Task ExpectAsync(string channel, string payload, TimeSpan timeout)
    {
        if (!_listening) return;
        var tcs = _echoes.GetOrAdd((channel, payload), _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            await tcs.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            logger.LogWarning("Notification {Payload} on {Channel} not seen within {Timeout}", payload, channel, timeout);
        }
        finally
        {
            _echoes.TryRemove((channel, payload), out _);
        }
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
                _listening = true;
                while (!stoppingToken.IsCancellationRequested)
                {
                    if (!await connection.WaitAsync(TimeSpan.FromSeconds(30), stoppingToken))
                    {
                        await using var ping = new NpgsqlCommand("SELECT 1", connection);
                        await ping.ExecuteScalarAsync(stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                _listening = false;
                Dispatch(Channels.Auth, "reset");
                logger.LogWarning(ex, "Notification listener lost its connection; retrying");
                try { await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken); }
                catch (OperationCanceledException) { break; }
            }
        }
        _listening = false;
    }

    private void Dispatch(string channel, string payload)
    {
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
        if (_echoes.TryRemove((channel, payload), out var echo)) echo.TrySetResult();
    }
}
