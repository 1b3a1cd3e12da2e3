namespace Reelgate.Jobs;

/// <summary>The NOTIFY payload that wakes the remote poller: a new remote job, a callback, or a parked job canceled.</summary>
public static class RemoteSignals
{
    public const string Prefix = "remote:";
}
