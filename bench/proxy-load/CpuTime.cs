using System.Globalization;

namespace Reelgate.Bench.ProxyLoad;

/// <summary>CPU seconds from /proc: a process with its children (live ones and those it has waited for), and the machine's busy share.</summary>
internal static class CpuTime
{
    private const double TicksPerSecond = 100;

    public static double ProcessTree(int root)
    {
        var total = 0.0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || Fields(pid) is not { } f) continue;
            if (pid == root) total += Ticks(f, 11) + Ticks(f, 12) + Ticks(f, 13) + Ticks(f, 14);
            else if (Ticks(f, 1) == root) total += Ticks(f, 11) + Ticks(f, 12);
        }
        return total / TicksPerSecond;
    }

    /// <summary>Busy and total jiffies of all CPUs since boot.</summary>
    public static (double Busy, double Total) Machine()
    {
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Take(8).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var idle = cpu[3] + cpu[4];
        return (cpu.Sum() - idle, cpu.Sum());
    }

    /// <summary>The fields after the command name (state is index 0, ppid 1, utime 11, stime 12, cutime 13, cstime 14).</summary>
    private static string[]? Fields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static double Ticks(string[] fields, int index) => double.Parse(fields[index], CultureInfo.InvariantCulture);
}
