namespace Reelgate.Rendering;

/// <summary>ffmpeg, ffprobe or Chromium failed; Code says how (render-failed, render-timeout, render-out-of-memory, unsupported-media, render-draw-failed).</summary>
public sealed class RenderFailedException : Exception
{
    public const string Failed = "render-failed";
    public const string TimedOut = "render-timeout";
    public const string OutOfMemory = "render-out-of-memory";
    public const string UnsupportedMedia = "unsupported-media";
    public const string DrawFailed = "render-draw-failed";

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

    /// <param name="code">One of the codes above; the message is meant for the user.</param>
    public RenderFailedException(string code, string message)
        : this(message, -1, [])
    {
        Code = code;
    }

    public RenderFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
        StderrTail = [];
    }

    public string Code { get; private init; } = Failed;

    public int ExitCode { get; }

    public IReadOnlyList<string> StderrTail { get; }
}
