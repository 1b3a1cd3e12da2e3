namespace Reelgate.Data;

/// <summary>
/// Whether PostgreSQL is reachable, as last seen by requests and background loops, so that an outage is logged once
/// when it begins and once when it ends rather than by every request and every loop tick.
/// </summary>
public sealed class DatabaseAvailability(TimeProvider clock, ILogger<DatabaseAvailability> logger)
{
    /// <summary>A failure reported this soon after recovery most likely comes from an attempt made before it.</summary>
    private static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(1);
    private long _downSince;
    private long _upSince;

    /// <summary>True when <paramref name="exception"/> is an outage; the first one of an outage is logged.</summary>
    public bool RecordIfOutage(Exception exception)
    {
        if (!DatabaseOutage.Is(exception)) return false;
        var now = clock.GetUtcNow().UtcTicks;
        if (now - Interlocked.Read(ref _upSince) < SettleTime.Ticks) return true;
        if (Interlocked.CompareExchange(ref _downSince, now, 0) != 0) return true;
        logger.LogError(exception, "Database unreachable: requests answer 503 and background work pauses until it returns");
        return true;
    }

    /// <summary>Called after a database round trip succeeded; ends an outage if one was recorded.</summary>
    public void RecordReachable()
    {
        if (Interlocked.Read(ref _downSince) == 0) return;
        var now = clock.GetUtcNow().UtcTicks;
        var since = Interlocked.Exchange(ref _downSince, 0);
        if (since == 0) return;
        Interlocked.Exchange(ref _upSince, now);
        logger.LogInformation("Database reachable again after {Outage}", TimeSpan.FromTicks(now - since));
    }
}
