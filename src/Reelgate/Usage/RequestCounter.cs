using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Dapper;
using Npgsql;
using Reelgate.Data;

namespace Reelgate.Usage;

/// <summary>
/// Counts authenticated API requests per user, key and UTC day in memory and adds them to usage_requests in one
/// statement every few seconds, so counting costs no database write per request.
/// </summary>
public sealed class RequestCounter(NpgsqlDataSource db, TimeProvider clock, DatabaseAvailability database, ILogger<RequestCounter> logger) : BackgroundService
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<(Guid User, Guid? Key, DateOnly Day), StrongBox<long>> _counts = new();

    public void Count(Guid userId, Guid? keyId)
    {
        var day = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var box = _counts.GetOrAdd((userId, keyId, day), _ => new StrongBox<long>());
        Interlocked.Increment(ref box.Value);
    }

    public async Task FlushAsync(CancellationToken ct)
    {
        var batch = new List<((Guid User, Guid? Key, DateOnly Day) Slot, long Count)>();
        foreach (var (slot, box) in _counts)
        {
            var count = Interlocked.Exchange(ref box.Value, 0);
            if (count > 0) batch.Add((slot, count));
            else if (slot.Day < DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)) _counts.TryRemove(slot, out _);
        }
        if (batch.Count == 0) return;
        try
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO usage_requests (user_id, key_id, day, requests)
                SELECT u, k, d::date, c FROM unnest(@users, @keys, @days, @counts) AS t(u, k, d, c)
                ON CONFLICT (user_id, day, key_id) DO UPDATE SET requests = usage_requests.requests + excluded.requests
                """, new
            {
                users = batch.Select(b => b.Slot.User).ToArray(),
                keys = batch.Select(b => b.Slot.Key).ToArray(),
                days = batch.Select(b => b.Slot.Day.ToDateTime(TimeOnly.MinValue)).ToArray(),
                counts = batch.Select(b => b.Count).ToArray(),
            }, cancellationToken: ct));
        }
        catch
        {
            foreach (var (slot, count) in batch) Interlocked.Add(ref _counts.GetOrAdd(slot, _ => new StrongBox<long>()).Value, count);
            throw;
        }
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
                    if (!database.RecordIfOutage(ex)) logger.LogWarning(ex, "Could not record request counts");
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
        catch (Exception ex) { logger.LogWarning(ex, "Could not record request counts at shutdown"); }
    }
}
