using Microsoft.Extensions.Options;
using Npgsql;
using Reelgate.Data;

namespace Reelgate.Jobs;

/// <summary>This process's identity as a worker: the lease owner of every job its local pool or remote poller holds.</summary>
public sealed class WorkerIdentity
{
    public Guid Id { get; } = Guid.CreateVersion7();
}

/// <summary>
/// Beats for this process in job_workers while it runs; on stopping, once both pools have stopped, hands back every job
/// it still holds. Registered before the pools, so it stops after them.
/// </summary>
public sealed class WorkerPresence(
    WorkerRegistry registry, WorkerIdentity identity, DatabaseAvailability database, IOptions<JobsOptions> options, ILogger<WorkerPresence> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.HeartbeatInterval);
        do
        {
            try
            {
                await registry.BeatAsync(identity.Id, stoppingToken);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                if (!database.RecordIfOutage(ex)) logger.LogWarning(ex, "Worker heartbeat failed");
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
        while (await TickAsync(timer, stoppingToken));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            var released = await registry.LeaveAsync(identity.Id, CancellationToken.None);
            if (released > 0) logger.LogInformation("Handed {Count} interrupted jobs back to the queue", released);
        }
        catch (Exception ex) when (ex is NpgsqlException or ObjectDisposedException or TimeoutException)
        {
            logger.LogWarning(ex, "Could not hand jobs back on stopping; other workers take them over when this worker's heartbeat goes silent");
        }
    }

    private static async Task<bool> TickAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try { return await timer.WaitForNextTickAsync(ct); }
        catch (OperationCanceledException) { return false; }
    }
}
