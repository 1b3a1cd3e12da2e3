using System.Diagnostics;

namespace Reelgate.Rendering;

/// <summary>Runs ffmpeg or ffprobe: streams stdout lines to a callback, keeps the stderr tail, kills the tree on cancellation.</summary>
internal static class ToolProcess
{
    private const int TailLines = 20;

    public static async Task RunAsync(string executable, IReadOnlyList<string> arguments, Action<string> onStdoutLine, CancellationToken ct)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        ct.ThrowIfCancellationRequested();
        using var process = Process.Start(start) ?? throw new RenderFailedException($"{executable} could not be started");
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
            throw new RenderFailedException($"{Path.GetFileName(executable)} exited with code {process.ExitCode}", process.ExitCode, lines);
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
