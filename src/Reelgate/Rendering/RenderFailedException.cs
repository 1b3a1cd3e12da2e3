namespace Reelgate.Rendering;

/// <summary>ffmpeg or ffprobe exited with an error; StderrTail holds its last lines of output.</summary>
public sealed class RenderFailedException : Exception
{
    public RenderFailedException(string message, int exitCode, IReadOnlyList<string> stderrTail)
        : base(stderrTail.Count == 0 ? message : $"{message}: {string.Join(" | ", stderrTail)}")
    {
        ExitCode = exitCode;
        StderrTail = stderrTail;
    }

    public RenderFailedException()
        : this("render failed", -1, [])
    {
    }

    public RenderFailedException(string message)
        : this(message, -1, [])
    {
    }

    public RenderFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
        StderrTail = [];
    }

    public int ExitCode { get; }

    public IReadOnlyList<string> StderrTail { get; }
}
