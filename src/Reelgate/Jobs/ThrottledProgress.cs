using System.Diagnostics;

namespace Reelgate.Jobs;

/// <summary>Writes progress at most every 300 ms, never blocking ffmpeg's output reader.</summary>
internal sealed class ThrottledProgress(Func<double, Task> write) : IProgress<double>
{
    private readonly Stopwatch _since = Stopwatch.StartNew();
    private int _writing;

    public void Report(double value)
    {
        if (_since.ElapsedMilliseconds < 300 || Interlocked.Exchange(ref _writing, 1) == 1) return;
        _since.Restart();
        _ = Task.Run(async () =>
        {
            try { await write(value); }
            finally { Volatile.Write(ref _writing, 0); }
        });
    }
}
