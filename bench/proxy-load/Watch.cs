using System.Diagnostics;

namespace Reelgate.Bench.ProxyLoad;

/// <summary>CPU spent between two laps: the Reelgate process, the PostgreSQL server with its backends, the whole machine.</summary>
internal sealed class Watch(Options options)
{
    public sealed record Lap(double WallSeconds, double? ServerCpuSeconds, double? PostgresCpuSeconds, double MachineBusy)
    {
        /// <summary>Two consecutive laps as one.</summary>
        public Lap Then(Lap next) => new(WallSeconds + next.WallSeconds, ServerCpuSeconds + next.ServerCpuSeconds,
            PostgresCpuSeconds + next.PostgresCpuSeconds,
            (MachineBusy * WallSeconds + next.MachineBusy * next.WallSeconds) / Math.Max(1e-9, WallSeconds + next.WallSeconds));
    }

    private long _wall = Stopwatch.GetTimestamp();
    private double? _server = Tree(options.ServerPid);
    private double? _postgres = Tree(options.PostgresPid);
    private (double Busy, double Total) _machine = CpuTime.Machine();

    public Lap Next()
    {
        var (wall, server, postgres, machine) = (Stopwatch.GetTimestamp(), Tree(options.ServerPid), Tree(options.PostgresPid), CpuTime.Machine());
        var lap = new Lap(Stopwatch.GetElapsedTime(_wall, wall).TotalSeconds, server - _server, postgres - _postgres,
            (machine.Busy - _machine.Busy) / Math.Max(1, machine.Total - _machine.Total));
        (_wall, _server, _postgres, _machine) = (wall, server, postgres, machine);
        return lap;
    }

    private static double? Tree(int? pid) => pid is { } p ? CpuTime.ProcessTree(p) : null;
}
