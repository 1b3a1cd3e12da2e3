namespace Reelgate.Rendering;

/// <summary>How big an Edit the local renderer accepts.</summary>
public sealed record RenderLimits(
    double MaxDurationSeconds = 600,
    int MaxTracks = 50,
    int MaxClipsPerTrack = 200,
    long MaxOutputPixels = 3840L * 2160,
    int MaxClips = 400,
    int MaxInputs = 200,
    int MaxEstimatedMemoryMb = 2048,
    long MaxMergedBytes = 2L * 1024 * 1024)
{
    public static readonly RenderLimits Default = new();
}
