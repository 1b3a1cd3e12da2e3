namespace Reelgate.Rendering;

/// <summary>Everything the compiler's parts share for one Edit.</summary>
internal sealed record CompileContext(
    Edit Edit,
    ResolvedTimeline Timeline,
    IReadOnlyDictionary<string, string> Files,
    CompileOptions Options,
    OutputGeometry Geometry,
    FontCatalog Fonts)
{
    /// <summary>The timeline time up to which frames are produced: the range end, or one frame past a still's capture time.</summary>
    public double RenderEnd => Timeline.IsStill ? Timeline.RangeStart + 1 / Geometry.Fps : Timeline.RenderedUntil;

    public string PathOf(string url) =>
        Files.TryGetValue(url, out var path) ? path : throw new ArgumentException($"no local file was given for {url}", nameof(url));

    public MediaInfo? MediaOf(string url) => Options.Media?.GetValueOrDefault(url);

    public bool Overlaps(ResolvedClip clip) => clip.End > Timeline.RangeStart && clip.Start < RenderEnd;
}
