using static Reelgate.Rendering.FilterSyntax;

namespace Reelgate.Rendering;

/// <summary>
/// Composites the visual clips over a background canvas. tracks[0] is the top layer, so the last track is
/// composited first; within a track, later clips lie over earlier ones.
/// </summary>
internal static class VideoGraph
{
    public static string Build(FilterGraph graph, CompileContext context)
    {
        string? current = null;
        foreach (var track in context.Timeline.Clips.GroupBy(c => c.TrackIndex).OrderByDescending(t => t.Key))
        {
            var visual = track.Where(c => c.Clip.Asset is VideoAsset or ImageAsset or TitleAsset or TextAsset or CaptionAsset or RasterAsset).OrderBy(c => c.ClipIndex).ToList();
            var mattes = MatteTargets(track.Where(c => c.Clip.Asset is LumaAsset), visual);
            foreach (var clip in visual.Where(context.Overlaps))
            {
                var matte = mattes.GetValueOrDefault(clip);
                if (current is null && matte is null && CoversTheFrame(context, clip))
                {
                    // Nothing of the background would show: the clip itself is the canvas, which spares blending
                    // every frame of it over a plain colour.
                    current = graph.Chain([ClipStream.Build(graph, context, clip, null)], ["format=yuv420p"]);
                    continue;
                }
                current ??= Canvas(graph, context);
                if (matte is null && clip.Clip.Asset is TitleAsset title && IsPlain(clip.Clip))
                {
                    // A title nothing transforms is drawn straight onto the picture below it while it runs, not onto a
                    // transparent layer of the frame's size that is then blended over every frame.
                    var since = $"(t-{Num(clip.Start)})";
                    var enable = $":enable={Value($"gte(t,{Num(clip.Start)})*lt(t,{Num(clip.End)})")}";
                    current = graph.Chain([current], TextRendering.TitleDraws(graph, context, title, clip.Length, since).Select(draw => draw + enable));
                    continue;
                }
                current = Overlay(graph, current, ClipStream.Build(graph, context, clip, matte), clip);
            }
        }
        return current ?? Canvas(graph, context);
    }

    /// <summary>The timeline's background colour, the output's size, for the whole render.</summary>
    private static string Canvas(FilterGraph graph, CompileContext context)
    {
        var geometry = context.Geometry;
        return graph.Chain([],
        [
            $"color=c={Color(context.Edit.Timeline.Background)}:s={geometry.Width}x{geometry.Height}:r={Num(geometry.Fps)}:d={Num(context.RenderEnd)}",
            "format=yuv420p",
        ]);
    }

    /// <summary>Whether a clip is shown as it is, colours aside: in place, opaque, unscaled, untransformed, with no transition or effect.</summary>
    private static bool IsInPlace(Clip clip) =>
        clip.Scale is null && clip.Transform == ClipTransform.None && clip.Transition == ClipTransition.None
        && clip.Effect is (null or "none")
        && !clip.Opacity.IsTweened && clip.Opacity.Value >= 1
        && !clip.Offset.X.IsTweened && !clip.Offset.Y.IsTweened && clip.Offset.X.Value == 0 && clip.Offset.Y.Value == 0;

    /// <summary>In place and with no colour filter either.</summary>
    private static bool IsPlain(Clip clip) => IsInPlace(clip) && clip.Filter is (null or "none");

    /// <summary>
    /// Whether a clip, composited first, hides the background for the whole render: an opaque video filling the frame
    /// in place, from before the render starts to after it ends, with enough of its source to play that long.
    /// </summary>
    private static bool CoversTheFrame(CompileContext context, ResolvedClip resolved)
    {
        var clip = resolved.Clip;
        if (clip.Asset is not VideoAsset { ChromaKey: null } video || !IsInPlace(clip)
            || clip.Fit is not ("crop" or "cover") || clip.Width is not null || clip.Height is not null
            || resolved.Start > context.Timeline.RangeStart || resolved.End < context.RenderEnd)
        {
            return false;
        }
        if (context.MediaOf(video.Src) is not { HasVideo: true } media) return false;
        // A paused clip holds its one frame for as long as it lasts.
        return video.Speed == 0
            || (media.DurationSeconds - video.Trim) / video.Speed >= context.RenderEnd - resolved.Start + 1 / context.Geometry.Fps;
    }

    /// <summary>Each luma clip masks the visual clip on its track that it overlaps the most.</summary>
    private static Dictionary<ResolvedClip, ResolvedClip> MatteTargets(IEnumerable<ResolvedClip> lumas, List<ResolvedClip> visual)
    {
        var targets = new Dictionary<ResolvedClip, ResolvedClip>();
        foreach (var luma in lumas)
        {
            var target = visual
                .Select(clip => (clip, overlap: Math.Min(clip.End, luma.End) - Math.Max(clip.Start, luma.Start)))
                .Where(pair => pair.overlap > 0 && !targets.ContainsKey(pair.clip))
                .OrderByDescending(pair => pair.overlap)
                .Select(pair => pair.clip)
                .FirstOrDefault();
            if (target is not null)
            {
                targets[target] = luma;
            }
        }
        return targets;
    }

    private static string Overlay(FilterGraph graph, string below, string clipStream, ResolvedClip resolved)
    {
        var clip = resolved.Clip;
        var since = $"(t-{Num(resolved.Start)})";
        var (slideX, slideY) = Transitions.Slides(clip.Transition, resolved.Start, resolved.Length);
        var x = $"{AnchorX(clip.Position)}+({TweenExpressions.Of(clip.Offset.X, since, resolved.Length)})*W+{slideX}";
        var y = $"{AnchorY(clip.Position)}-({TweenExpressions.Of(clip.Offset.Y, since, resolved.Length)})*H+{slideY}";
        var enable = $"gte(t,{Num(resolved.Start)})*lt(t,{Num(resolved.End)})";
        return graph.Chain([below, clipStream], [$"overlay=x={Value(x)}:y={Value(y)}:eof_action=pass:enable={Value(enable)}"]);
    }

    private static string AnchorX(string position) => position switch
    {
        "left" or "topLeft" or "bottomLeft" => "0",
        "right" or "topRight" or "bottomRight" => "(W-w)",
        _ => "(W-w)/2",
    };

    private static string AnchorY(string position) => position switch
    {
        "top" or "topLeft" or "topRight" => "0",
        "bottom" or "bottomLeft" or "bottomRight" => "(H-h)",
        _ => "(H-h)/2",
    };
}
