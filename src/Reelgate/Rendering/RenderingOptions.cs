namespace Reelgate.Rendering;

/// <summary>The "Rendering" configuration section.</summary>
public sealed class RenderingOptions
{
    public const string Section = "Rendering";

    public string FfmpegPath { get; set; } = "/usr/bin/ffmpeg";

    public string FfprobePath { get; set; } = "/usr/bin/ffprobe";

    /// <summary>auto (bubblewrap where it works), bwrap (required), or off.</summary>
    public string Sandbox { get; set; } = "auto";

    public string BwrapPath { get; set; } = "/usr/bin/bwrap";

    /// <summary>Memory one ffmpeg run may use: a cgroup limit where one can be made, else an address-space limit; 0 for none.</summary>
    public int MemoryLimitMb { get; set; } = 3072;

    /// <summary>ffmpeg and ffprobe processes one Reelgate process runs at once; 0 means two per core.</summary>
    public int MaxConcurrentTools { get; set; }

    /// <summary>A render may take this long plus <see cref="TimeoutPerOutputSecond"/> for each second of output.</summary>
    public double TimeoutBaseSeconds { get; set; } = 120;

    public double TimeoutPerOutputSecond { get; set; } = 4;

    public double MaxDurationSeconds { get; set; } = 600;

    /// <summary>Clips in one Edit, over all tracks.</summary>
    public int MaxClips { get; set; } = 400;

    /// <summary>Files ffmpeg opens for one Edit (video, image, audio and luma clips and the soundtrack).</summary>
    public int MaxInputs { get; set; } = 200;

    /// <summary>The estimated ffmpeg memory an Edit may need (frames held per clip and per decoder at the output size).</summary>
    public int MaxEstimatedMemoryMb { get; set; } = 2048;

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

    /// <summary>The headless Chromium that draws html, rich-text, svg and shape assets.</summary>
    public string ChromiumPath { get; set; } = "/usr/bin/chromium";

    /// <summary>Long-lived Chromium processes one Reelgate process keeps; each draws one Edit's clips at a time.</summary>
    public int BrowserPoolSize { get; set; } = 2;

    /// <summary>How long drawing one clip may take before the job fails, naming the clip.</summary>
    public double DrawTimeoutSeconds { get; set; } = 20;

    public RenderLimits ToLimits() =>
        new(MaxDurationSeconds, MaxTracks, MaxClipsPerTrack, MaxOutputPixels, MaxClips, MaxInputs, MaxEstimatedMemoryMb, MaxMergedBytes);

    public TimeSpan TimeoutFor(double outputSeconds) =>
        TimeSpan.FromSeconds(TimeoutBaseSeconds + TimeoutPerOutputSecond * Math.Max(0, outputSeconds));

    public CompileOptions ToCompileOptions(IReadOnlyDictionary<string, MediaInfo>? media) => new(media, Threads, Preset, FontDirectory);
}
