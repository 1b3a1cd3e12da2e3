namespace Reelgate.Rendering;

public sealed record ResolvedClip(int TrackIndex, int ClipIndex, Clip Clip, double Start, double Length)
{
    public double End => Start + Length;

    public string Path => $"timeline.tracks[{TrackIndex}].clips[{ClipIndex}]";
}

/// <summary>
/// Every clip with its start and length in seconds. TotalSeconds is the output duration after output.range
/// (0 for still images), the figure a render quote is priced on.
/// </summary>
public sealed record ResolvedTimeline(
    IReadOnlyList<ResolvedClip> Clips,
    double TimelineSeconds,
    double RangeStart,
    double TotalSeconds,
    double? SoundtrackSeconds,
    bool IsStill,
    bool DependsOnMediaDurations,
    IReadOnlyDictionary<string, string[]> Errors)
{
    public bool IsValid => Errors.Count == 0;

    public double RenderedUntil => RangeStart + TotalSeconds;
}
