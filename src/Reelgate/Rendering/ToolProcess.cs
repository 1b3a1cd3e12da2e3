using System.Diagnostics;

namespace Reelgate.Rendering;

/// <summary>Runs a prepared tool command: streams stdout lines to a callback, keeps the stderr tail, kills the tree on cancellation.</summary>
internal static class ToolProcess
{
    private const int TailLines = 20;

    /// <param name="name">The tool's name for error messages (the command may start with its sandbox).</param>
    public static async Task RunAsync(string name, ProcessStartInfo start, Action<string> onStdoutLine, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        Process process;
        try
        {
            process = await ProcessLauncher.StartAsync(start);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new RenderFailedException($"{name} could not be started", ex);
        }
        using var _ = process;
        var tail = new Queue<string>();
        var stdout = PumpAsync(process.StandardOutput, onStdoutLine);
        var stderr = PumpAsync(process.StandardError, line =>
        {
            lock (tail)
            {
                tail.Enqueue(line);
                if (tail.Count > TailLines)
                {
                    tail.Dequeue();
                }
            }
        });
        using (ct.Register(() => Kill(process)))
        {
            await process.WaitForExitAsync(CancellationToken.None);
            await Task.WhenAll(stdout, stderr);
        }
        ct.ThrowIfCancellationRequested();
        if (process.ExitCode != 0)
        {
            string[] lines;
            lock (tail)
            {
                lines = [.. tail];
            }
            throw new RenderFailedException($"{name} exited with code {process.ExitCode}", process.ExitCode, lines);
        }
    }

    private static async Task PumpAsync(StreamReader reader, Action<string> onLine)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            onLine(line);
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // The process has already exited.
        }
    }
}
