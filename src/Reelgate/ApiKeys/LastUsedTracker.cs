using System.Collections.Concurrent;
using Dapper;
using Npgsql;
using Reelgate.Data;

namespace Reelgate.ApiKeys;

/// <summary>Remembers when each key was last used and writes the times in one batch every few seconds.</summary>
public sealed class LastUsedTracker(NpgsqlDataSource db, DatabaseAvailability database, ILogger<LastUsedTracker> logger) : BackgroundService
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(15);
    private readonly ConcurrentDictionary<Guid, DateTime> _pending = new();

    public void Touch(Guid keyId) => _pending[keyId] = DateTime.UtcNow;

    public async Task FlushAsync(CancellationToken ct)
    {
        if (_pending.IsEmpty) return;
        var batch = _pending.ToArray();
        foreach (var (id, at) in batch) _pending.TryRemove(new KeyValuePair<Guid, DateTime>(id, at));
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE api_keys k SET last_used_at = greatest(k.last_used_at, u.at)
            FROM unnest(@ids, @ats) AS u(id, at) WHERE k.id = u.id
            """, new { ids = batch.Select(b => b.Key).ToArray(), ats = batch.Select(b => b.Value).ToArray() }, cancellationToken: ct));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(FlushInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try { await FlushAsync(stoppingToken); }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    if (!database.RecordIfOutage(ex)) logger.LogWarning(ex, "Could not record key use times");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try { await FlushAsync(cancellationToken); }
        catch (Exception ex) { logger.LogWarning(ex, "Could not record key use times at shutdown"); }
    }
}
