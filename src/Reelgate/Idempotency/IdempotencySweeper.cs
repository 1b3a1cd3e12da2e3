namespace Reelgate.Idempotency;

/// <summary>Forgets idempotency records after their 24 h.</summary>
public sealed class IdempotencySweeper(IdempotencyStore store, ILogger<IdempotencySweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(15));
        try
        {
            do
            {
                try
                {
                    var removed = await store.PurgeExpiredAsync(stoppingToken);
                    if (removed > 0) logger.LogInformation("Removed {Count} expired idempotency records", removed);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Could not purge idempotency records");
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
        }
    }
}
