namespace Reelgate.Rendering;

/// <summary>One resolution pass: memoised start/length per clip with cycle detection.</summary>
internal sealed class TimelineResolution
{
    private readonly List<(int Track, int Index, Clip Clip)> _clips = [];
    private readonly Dictionary<string, int> _aliases = new(StringComparer.Ordinal);
    private readonly IReadOnlyDictionary<string, double> _durations;
    private readonly ValidationErrors _errors;
    private readonly bool _knownDurationsOnly;
    private readonly Slot[] _starts;
    private readonly Slot[] _lengths;
    private Slot _timelineEnd;

    public TimelineResolution(Timeline timeline, IReadOnlyDictionary<string, double> durations, ValidationErrors errors, bool knownDurationsOnly)
    {
        _durations = durations;
        _errors = errors;
        _knownDurationsOnly = knownDurationsOnly;
        for (var t = 0; t < timeline.Tracks.Count; t++)
        {
            for (var c = 0; c < timeline.Tracks[t].Clips.Count; c++)
            {
                var clip = timeline.Tracks[t].Clips[c];
                if (clip.Alias is { } alias && !_aliases.TryAdd(alias, _clips.Count))
                {
                    errors.Add(PathOf(t, c, "alias"), $"'{alias}' is already used by {PathOf(_clips[_aliases[alias]])}");
                }
                _clips.Add((t, c, clip));
            }
        }
        _starts = new Slot[_clips.Count];
        _lengths = new Slot[_clips.Count];
    }

    public bool DependsOnMediaDurations { get; private set; }

    public List<ResolvedClip> ResolveAll()
    {
        var resolved = new List<ResolvedClip>();
        for (var i = 0; i < _clips.Count; i++)
        {
            var start = Start(i);
            var length = Length(i);
            var (track, index, clip) = _clips[i];
            if (start is null || length is null)
            {
                continue;
            }
            if (length <= 0 && !DependsOnMediaDurations)
            {
                _errors.Add(PathOf(track, index, "length"), "resolves to 0 seconds or less");
                continue;
            }
            resolved.Add(new ResolvedClip(track, index, clip, start.Value, length.Value));
        }
        return resolved;
    }

    private double? Start(int i) => Memo(ref _starts[i], PathOf(_clips[i].Track, _clips[i].Index, "start"), () =>
    {
        var (track, index, clip) = _clips[i];
        return clip.Start.Kind switch
        {
            ClipTimeKind.Auto when index == 0 => 0,
            ClipTimeKind.Auto => Start(i - 1) + Length(i - 1),
            ClipTimeKind.Alias => Target(i, clip.Start.Alias!, "start") is { } target ? Start(target) : null,
            _ => clip.Start.Seconds,
        };
    });

    private double? Length(int i) => Memo(ref _lengths[i], PathOf(_clips[i].Track, _clips[i].Index, "length"), () =>
    {
        var clip = _clips[i].Clip;
        return clip.Length.Kind switch
        {
            ClipTimeKind.Auto => Natural(clip.Asset),
            ClipTimeKind.End => UntilEnd(i),
            ClipTimeKind.Alias => Target(i, clip.Length.Alias!, "length") is { } target ? Length(target) : null,
            _ => clip.Length.Seconds,
        };
    });

    private double? UntilEnd(int i)
    {
        var end = Memo(ref _timelineEnd, PathOf(_clips[i].Track, _clips[i].Index, "length"), () =>
            Enumerable.Range(0, _clips.Count).Where(j => !EndsWithTimeline(j, 0))
                .Select(j => Start(j) + Length(j)).DefaultIfEmpty(0).Max());
        var until = end - Start(i);
        return Natural(_clips[i].Clip.Asset) is { } natural && _clips[i].Clip.Asset is VideoAsset or AudioAsset
            ? Math.Min(natural, until ?? natural)
            : until;
    }

    private bool EndsWithTimeline(int i, int depth)
    {
        var length = _clips[i].Clip.Length;
        return length.Kind == ClipTimeKind.End
            || (length.Kind == ClipTimeKind.Alias && depth < _clips.Count && _aliases.TryGetValue(length.Alias!, out var target)
                && EndsWithTimeline(target, depth + 1));
    }

    private double? Natural(Asset asset)
    {
        switch (asset)
        {
            // A paused clip never reaches the end of its media, so "auto" gives it a still's length.
            case VideoAsset { Speed: 0 }:
            case AudioAsset { Speed: 0 }:
                return TimelineResolver.StillAutoSeconds;
            case VideoAsset video:
                return Media(video.Src) is { } v ? Math.Max(0, v - video.Trim) / video.Speed : null;
            case AudioAsset audio:
                return Media(audio.Src) is { } a ? Math.Max(0, a - audio.Trim) / audio.Speed : null;
            case LumaAsset luma:
                return _durations.TryGetValue(luma.Src, out var l) && l > 0.05 ? Math.Max(0, l - luma.Trim) : TimelineResolver.StillAutoSeconds;
            default:
                return TimelineResolver.StillAutoSeconds;
        }
    }

    private double? Media(string src)
    {
        if (_durations.TryGetValue(src, out var seconds) && seconds > 0)
        {
            return seconds;
        }
        DependsOnMediaDurations = true;
        if (_knownDurationsOnly)
        {
            return 0;
        }
        _errors.Add("timeline", $"the duration of {src} is unknown");
        return null;
    }

    private int? Target(int i, string alias, string field)
    {
        if (_aliases.TryGetValue(alias, out var target))
        {
            return target;
        }
        _errors.Add(PathOf(_clips[i].Track, _clips[i].Index, field), $"refers to unknown alias '{alias}'");
        return null;
    }

    private double? Memo(ref Slot slot, string path, Func<double?> compute)
    {
        switch (slot.State)
        {
            case SlotState.Done:
                return slot.Value;
            case SlotState.Visiting:
                _errors.Add(path, "is circular: it depends on its own value through alias references or \"end\"");
                return null;
        }
        slot.State = SlotState.Visiting;
        var value = compute();
        slot = new Slot { State = SlotState.Done, Value = value };
        return value;
    }

    private static string PathOf(int track, int index, string field) => $"timeline.tracks[{track}].clips[{index}].{field}";

    private static string PathOf((int Track, int Index, Clip Clip) clip) => $"timeline.tracks[{clip.Track}].clips[{clip.Index}]";

    private enum SlotState
    {
        Unvisited,
        Visiting,
        Done,
    }

    private struct Slot
    {
        public SlotState State;
        public double? Value;
    }
}
