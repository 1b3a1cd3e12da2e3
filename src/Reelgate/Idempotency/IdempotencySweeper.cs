using Reelgate.Common;
using Reelgate.Data;

namespace Reelgate.Idempotency;

/// <summary>Forgets idempotency records after their 24 h.</summary>
public sealed class IdempotencySweeper(IdempotencyStore store, DatabaseAvailability database, ILogger<IdempotencySweeper> logger)
    : PeriodicService(database, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromMinutes(15);

    protected override async Task RunOnceAsync(CancellationToken ct)
    {
        var removed = await store.PurgeExpiredAsync(ct);
        if (removed > 0) logger.LogInformation("Removed {Count} expired idempotency records", removed);
    }
}
