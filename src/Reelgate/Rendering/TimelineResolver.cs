using System.Globalization;

namespace Reelgate.Rendering;

/// <summary>Resolves "auto", "end" and "alias://" starts and lengths into seconds.</summary>
public static class TimelineResolver
{
    /// <summary>Seconds an image, title, text or still luma lasts when its length is "auto".</summary>
    public const double StillAutoSeconds = 3;

    /// <param name="mediaDurations">Natural duration in seconds of each downloaded asset, keyed by its URL.</param>
    public static ResolvedTimeline Resolve(Edit edit, IReadOnlyDictionary<string, double> mediaDurations, RenderLimits? limits = null) =>
        Resolve(edit, mediaDurations, limits ?? RenderLimits.Default, knownDurationsOnly: false);

    internal static ResolvedTimeline Resolve(Edit edit, IReadOnlyDictionary<string, double> mediaDurations, RenderLimits limits, bool knownDurationsOnly)
    {
        var errors = new ValidationErrors();
        var resolution = new TimelineResolution(edit.Timeline, mediaDurations, errors, knownDurationsOnly);
        var clips = resolution.ResolveAll();
        var timelineSeconds = clips.Count == 0 ? 0 : clips.Max(c => c.End);
        var rangeStart = edit.Output.Range?.Start ?? 0;
        var available = Math.Max(0, timelineSeconds - rangeStart);
        var total = edit.Output.IsStill ? 0 : Math.Min(edit.Output.Range?.Length ?? available, available);
        if (edit.Output.Range is not null && rangeStart >= timelineSeconds && !resolution.DependsOnMediaDurations)
        {
            errors.Add("output.range.start", Invariant($"must be before the end of the timeline ({timelineSeconds:0.###} s)"));
        }
        if (rangeStart + total > limits.MaxDurationSeconds)
        {
            errors.Add("timeline", Invariant($"renders {rangeStart + total:0.###} s, more than the maximum of {limits.MaxDurationSeconds:0.###} s"));
        }
        double? soundtrackSeconds = edit.Timeline.Soundtrack is { } soundtrack
            ? Math.Min(timelineSeconds, mediaDurations.TryGetValue(soundtrack.Src, out var d) && d > 0 ? d : timelineSeconds)
            : null;
        return new ResolvedTimeline(clips, timelineSeconds, rangeStart, total, soundtrackSeconds, edit.Output.IsStill,
            resolution.DependsOnMediaDurations, errors.ToDictionary());
    }

    internal static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
