using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Reelgate.Bench.ProxyLoad;

/// <summary>
/// CLOCK_MONOTONIC in nanoseconds: what Stopwatch reads on Linux, so the fake upstream's arrival times, taken in
/// another process, are on the same scale. Sleeps to an absolute deadline, so a late wake-up does not push later sends.
/// </summary>
internal static partial class Clock
{
    private const int ClockMonotonic = 1;
    private const int TimerAbstime = 1;
    private const int Eintr = 4;

    public static bool IsUsable => OperatingSystem.IsLinux() && Stopwatch.Frequency == 1_000_000_000;

    public static long Now() => Stopwatch.GetTimestamp();

    public static void SleepUntil(long deadline)
    {
        var request = new Timespec(deadline / 1_000_000_000, deadline % 1_000_000_000);
        while (ClockNanosleep(ClockMonotonic, TimerAbstime, in request, 0) == Eintr)
        {
        }
    }

    [LibraryImport("libc", EntryPoint = "clock_nanosleep")]
    private static partial int ClockNanosleep(int clock, int flags, in Timespec request, nint remain);

    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct Timespec(long Seconds, long Nanoseconds);
}
