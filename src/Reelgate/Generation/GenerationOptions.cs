namespace Reelgate.Generation;

public sealed class GenerationOptions
{
    public const string Section = "Generation";

    /// <summary>Where generations run when the request names no provider: local, runway or runpod.</summary>
    public string Provider { get; set; } = "local";

    /// <summary>A generation not finished this long after submit is canceled upstream and fails, releasing its credits.</summary>
    public int TimeoutSeconds { get; set; } = 1200;

    public long MaxImageBytes { get; set; } = 10L * 1024 * 1024;

    /// <summary>The largest audio upload (project music).</summary>
    public long MaxAudioBytes { get; set; } = 20L * 1024 * 1024;

    public int MaxPromptLength { get; set; } = 2000;

    /// <summary>The shorter side of locally generated clips (720 gives 1280×720 at 16:9).</summary>
    public int LocalShortSide { get; set; } = 720;

    public int LocalFps { get; set; } = 24;
}
