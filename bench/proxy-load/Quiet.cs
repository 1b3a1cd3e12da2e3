using System.Diagnostics;

namespace Reelgate.Bench.ProxyLoad;

/// <summary>
/// Waits until a process has gone quiet: less than 5% of a CPU over a whole second. Right after a warm-up the .NET
/// runtime goes on compiling the code it ran at higher tiers for many seconds, on a thread of its own; measuring then
/// would count that one-off cost as the cost of every request in the window.
/// </summary>
internal static class Quiet
{
    private const double BusyShare = 0.05;

    /// <summary>Seconds waited; gives up after <paramref name="longest"/>. Waits at least <paramref name="shortest"/>.</summary>
    public static async Task<double> WaitAsync(int pid, TimeSpan shortest, TimeSpan longest)
    {
        var start = Stopwatch.GetTimestamp();
        var before = CpuTime.ProcessTree(pid);
        while (true)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            var now = CpuTime.ProcessTree(pid);
            var waited = Stopwatch.GetElapsedTime(start);
            if ((now - before < BusyShare && waited >= shortest) || waited >= longest) return waited.TotalSeconds;
            before = now;
        }
    }
}
