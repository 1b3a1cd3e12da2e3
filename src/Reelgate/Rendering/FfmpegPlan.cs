namespace Reelgate.Rendering;

/// <summary>
/// One ffmpeg invocation. Files are written before it runs (text for drawtext); FollowUps (poster, thumbnail)
/// run after it, reading its output.
/// </summary>
public sealed record FfmpegPlan(
    string Kind,
    IReadOnlyList<string> Arguments,
    double DurationSeconds,
    string OutputPath,
    IReadOnlyList<PlanFile> Files,
    IReadOnlyList<FfmpegPlan> FollowUps,
    string? FilterGraph);

public sealed record PlanFile(string Path, string Content);

/// <summary>Settings the compiler takes from the host rather than from the Edit.</summary>
/// <param name="Media">Probe results by asset URL; sizes drive fit geometry and HasAudio decides whether a video's sound is mixed.</param>
/// <param name="Preset">An x264 preset that overrides the one the output quality picks.</param>
public sealed record CompileOptions(
    IReadOnlyDictionary<string, MediaInfo>? Media = null,
    int Threads = 0,
    string? Preset = null,
    string FontDirectory = "/usr/share/fonts/truetype/dejavu");
