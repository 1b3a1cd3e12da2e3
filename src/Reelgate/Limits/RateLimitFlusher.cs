using Microsoft.Extensions.Options;
using Reelgate.Data;

namespace Reelgate.Limits;

/// <summary>Reports served requests that have not been recorded yet, and clears buckets long out of any window.</summary>
public sealed class RateLimitFlusher(
    DistributedRateLimiter limiter, RateLimitStore store, DatabaseAvailability database, IOptions<RateLimitOptions> options, ILogger<RateLimitFlusher> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SyncInterval);
        var lastPurge = DateTime.UtcNow;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await limiter.FlushAsync(stoppingToken);
                if (DateTime.UtcNow - lastPurge > TimeSpan.FromMinutes(10))
                {
                    lastPurge = DateTime.UtcNow;
                    try { await store.PurgeAsync(Math.Max(options.Value.WindowSeconds, 86_400), stoppingToken); }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        if (!database.RecordIfOutage(ex)) logger.LogWarning(ex, "Could not purge old rate limit buckets");
                    }
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
        await limiter.FlushAsync(cancellationToken);
    }
}
