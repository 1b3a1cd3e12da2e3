using System.Collections.Concurrent;
using System.Diagnostics;

namespace Reelgate.Rendering;

/// <summary>
/// Starts every tool process from one thread that lives as long as the app. A child's parent-death signal fires when
/// the thread that forked it ends, so forking from pool threads, which come and go, would kill renders at random.
/// </summary>
internal static class ProcessLauncher
{
    private static readonly BlockingCollection<(ProcessStartInfo Start, TaskCompletionSource<Process> Started)> Requests = [];

    static ProcessLauncher()
    {
        new Thread(Serve) { IsBackground = true, Name = "tool-launcher" }.Start();
    }

    public static Task<Process> StartAsync(ProcessStartInfo start)
    {
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        Requests.Add((start, started));
        return started.Task;
    }

    private static void Serve()
    {
        foreach (var (start, started) in Requests.GetConsumingEnumerable())
        {
            try
            {
                started.SetResult(Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} could not be started"));
            }
            catch (Exception ex)
            {
                started.SetException(ex);
            }
        }
    }
}
