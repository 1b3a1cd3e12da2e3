using Reelgate.Data;

namespace Reelgate.Common;

/// <summary>
/// Runs <see cref="RunOnceAsync"/> at start and then every <see cref="Interval"/>; a failed run is logged and the
/// next one comes on schedule; a database outage is left to <see cref="DatabaseAvailability"/> to log.
/// </summary>
public abstract class PeriodicService(DatabaseAvailability database, ILogger logger) : BackgroundService
{
    protected abstract TimeSpan Interval { get; }

    protected abstract Task RunOnceAsync(CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            do
            {
                try
                {
                    await RunOnceAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    if (!database.RecordIfOutage(ex)) logger.LogWarning(ex, "{Service} failed; it runs again in {Interval}", GetType().Name, Interval);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
        }
    }
}
