namespace Reelgate.Rendering;

/// <summary>The "Rendering" configuration section.</summary>
public sealed class RenderingOptions
{
    public const string Section = "Rendering";

    public string FfmpegPath { get; set; } = "/usr/bin/ffmpeg";

    public string FfprobePath { get; set; } = "/usr/bin/ffprobe";

    public double MaxDurationSeconds { get; set; } = 600;

    public int MaxTracks { get; set; } = 50;

    public int MaxClipsPerTrack { get; set; } = 200;

    public long MaxOutputPixels { get; set; } = 3840L * 2160;

    /// <summary>The largest an Edit may grow to once its merge fields are replaced, in bytes of JSON.</summary>
    public long MaxMergedBytes { get; set; } = 2L * 1024 * 1024;

    /// <summary>ffmpeg threads for filtering and encoding; 0 lets ffmpeg choose.</summary>
    public int Threads { get; set; }

    /// <summary>An x264 preset that overrides the one the output quality picks (e.g. "ultrafast" on small machines).</summary>
    public string? Preset { get; set; }

    public string FontDirectory { get; set; } = "/usr/share/fonts/truetype/dejavu";

    public RenderLimits ToLimits() => new(MaxDurationSeconds, MaxTracks, MaxClipsPerTrack, MaxOutputPixels, MaxMergedBytes);

    public CompileOptions ToCompileOptions(IReadOnlyDictionary<string, MediaInfo>? media) => new(media, Threads, Preset, FontDirectory);
}
