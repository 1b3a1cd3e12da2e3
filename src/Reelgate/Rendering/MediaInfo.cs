namespace Reelgate.Rendering;

/// <summary>What ffprobe found in a media file. DurationSeconds is 0 for still images.</summary>
public sealed record MediaInfo(
    double DurationSeconds,
    int Width,
    int Height,
    double Fps,
    bool HasVideo,
    bool HasAudio,
    string FormatName)
{
    public static IReadOnlyDictionary<string, double> Durations(IReadOnlyDictionary<string, MediaInfo> media) =>
        media.ToDictionary(pair => pair.Key, pair => pair.Value.DurationSeconds, StringComparer.Ordinal);
}
