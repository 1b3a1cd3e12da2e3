using System.Diagnostics;
using System.Globalization;
using Reelgate.Bench.ProxyLoad;

namespace Reelgate.Bench.UpstreamLoad;

/// <summary>The wall clock and the monotonic clock read together, to place Reelgate's timestamps on the fake's clock.</summary>
internal sealed record WallClock(DateTime Utc, long Timestamp)
{
    public static WallClock Now() => new(DateTime.UtcNow, Stopwatch.GetTimestamp());

    /// <summary>A wall-clock time as microseconds on CLOCK_MONOTONIC (Stopwatch's clock on Linux, which the fake records).</summary>
    public long Microseconds(DateTime utc) => (long)(Timestamp * (1_000_000.0 / Stopwatch.Frequency) + (utc - Utc).Ticks / 10.0);

    public static long Microseconds(long timestamp) => (long)(timestamp * (1_000_000.0 / Stopwatch.Frequency));
}

/// <summary>
/// CPU seconds the Reelgate process and the PostgreSQL server spent, and how busy the machine was. The process's own
/// figure comes from /proc with the children it waited for; a tool it runs under bubblewrap is reaped inside bubblewrap's
/// PID namespace and never reaches those counters, so the whole of it, tools included, comes from its cgroup when it has one.
/// </summary>
internal sealed class CpuWatch(int? serverPid, string? serverCgroup, int? postgresPid)
{
    public sealed record Used(double WallSeconds, double? ServerSeconds, double? ServerWithToolsSeconds, double? PostgresSeconds, double MachineBusy);

    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly double? _server = Tree(serverPid);
    private readonly double? _serverGroup = Group(serverCgroup);
    private readonly double? _postgres = Tree(postgresPid);
    private readonly (double Busy, double Total) _machine = CpuTime.Machine();

    public Used Stop()
    {
        var machine = CpuTime.Machine();
        return new Used(Stopwatch.GetElapsedTime(_start).TotalSeconds, Tree(serverPid) - _server, Group(serverCgroup) - _serverGroup,
            Tree(postgresPid) - _postgres, (machine.Busy - _machine.Busy) / Math.Max(1, machine.Total - _machine.Total));
    }

    private static double? Tree(int? pid) => pid is { } p ? CpuTime.ProcessTree(p) : null;

    /// <summary>cgroup v1 cpuacct.usage (ns) or v2 cpu.stat usage_usec.</summary>
    private static double? Group(string? path)
    {
        if (path is null) return null;
        var v1 = Path.Combine(path, "cpuacct.usage");
        if (File.Exists(v1)) return long.Parse(File.ReadAllText(v1).Trim(), CultureInfo.InvariantCulture) / 1e9;
        var usage = File.ReadLines(Path.Combine(path, "cpu.stat")).First(l => l.StartsWith("usage_usec ", StringComparison.Ordinal));
        return long.Parse(usage["usage_usec ".Length..], CultureInfo.InvariantCulture) / 1e6;
    }
}

/// <summary>
/// The Reelgate process's resident memory: at the start, and the peak until Stop, both from /proc. The kernel's peak
/// mark (VmHWM) is reset at the start, and VmRSS is also sampled every 100 ms in case the reset is not allowed.
/// </summary>
internal sealed class MemoryWatch
{
    private readonly int _pid;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;
    private long _sampledPeak;

    public sealed record Resident(long StartKiB, long PeakKiB);

    public MemoryWatch(int pid)
    {
        _pid = pid;
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Program.Log($"could not reset the server's peak RSS mark ({ex.Message}); the peak is sampled");
        }
        StartKiB = Read("VmRSS:");
        _sampledPeak = StartKiB;
        _sampling = SampleAsync();
    }

    public long StartKiB { get; }

    public Resident Stop()
    {
        _stop.Cancel();
        _sampling.GetAwaiter().GetResult();
        return new Resident(StartKiB, Math.Max(_sampledPeak, Read("VmHWM:")));
    }

    private async Task SampleAsync()
    {
        try
        {
            while (true)
            {
                await Task.Delay(100, _stop.Token);
                _sampledPeak = Math.Max(_sampledPeak, Read("VmRSS:"));
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    private long Read(string field)
    {
        var line = File.ReadLines($"/proc/{_pid}/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }
}
