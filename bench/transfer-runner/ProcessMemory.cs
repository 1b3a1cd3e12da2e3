using System.Globalization;

namespace Reelgate.Bench.Transfer;

/// <summary>This process's resident memory from /proc (Linux).</summary>
internal static class ProcessMemory
{
    /// <summary>Resets VmHWM to the current RSS, so the peak read later belongs to what ran in between.</summary>
    public static void ResetPeak() => File.WriteAllText("/proc/self/clear_refs", "5");

    public static long ResidentKiB() => Read("VmRSS:");

    public static long PeakKiB() => Read("VmHWM:");

    private static long Read(string field)
    {
        var line = File.ReadLines("/proc/self/status").First(line => line.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }
}
