using static Reelgate.Rendering.FilterSyntax;

namespace Reelgate.Rendering;

/// <summary>Builds one visual clip's stream: source, crop, fit, filter, effect, matte, alpha, transform, timing.</summary>
internal static class ClipStream
{
    public static string Build(FilterGraph graph, CompileContext context, ResolvedClip resolved, ResolvedClip? luma)
    {
        var clip = resolved.Clip;
        var length = resolved.Length;
        var fps = context.Geometry.Fps;
        var filters = new List<string>();
        string input;
        double sourceWidth, sourceHeight;
        var fitClip = clip;
        var pixels = NeedsRgb(clip) ? "format=rgba" : "format=yuva420p";
        // A single picture is decoded, converted and fitted once, then held for the clip's length.
        var held = false;
        switch (clip.Asset)
        {
            case VideoAsset video:
                if (video.Speed == 0)
                {
                    // Paused: the frame at the trim point, held for the clip's length.
                    input = $"{graph.AddMedia(context.PathOf(video.Src), video.Trim, 1, resolved)}:v";
                    filters.AddRange(["setpts=PTS-STARTPTS", "trim=end_frame=1", $"tpad=stop_mode=clone:stop_duration={Num(length)}"]);
                }
                else
                {
                    input = $"{graph.AddMedia(context.PathOf(video.Src), video.Trim, length * video.Speed, resolved)}:v";
                    filters.Add(video.Speed == 1 ? "setpts=PTS-STARTPTS" : $"setpts=(PTS-STARTPTS)/{Num(video.Speed)}");
                }
                filters.Add($"fps={Num(fps)}");
                filters.Add(video.ChromaKey is null ? pixels : "format=rgba");
                filters.AddRange(ClipFilters.Crop(video.Crop));
                if (video.ChromaKey is { } key)
                {
                    filters.Add($"colorkey={Color(key.Color)}:{Num(Math.Max(0.01, key.Threshold / 250))}:{Num(key.Halo / 250)}");
                }
                (sourceWidth, sourceHeight) = SourceSize(context, clip, video.Src, video.Crop);
                break;
            case ImageAsset image:
                held = context.MediaOf(image.Src) is { FormatName: "png_pipe" or "jpeg_pipe" or "webp_pipe" };
                input = held
                    ? $"{graph.AddPicture(context.PathOf(image.Src), fps)}:v"
                    : $"{graph.AddStill(context.PathOf(image.Src), length, fps)}:v";
                filters.Add(pixels);
                filters.AddRange(ClipFilters.Crop(image.Crop));
                (sourceWidth, sourceHeight) = SourceSize(context, clip, image.Src, image.Crop);
                break;
            case RasterAsset:
                var drawing = ClipRasterizer.KeyOf(resolved);
                if (context.MediaOf(drawing) is { FormatName: "apng" })
                {
                    // An animated drawing plays once at its own frame times, then its last frame is held.
                    input = $"{graph.AddInput(context.PathOf(drawing), "-f", "apng")}:v";
                    filters.AddRange([$"fps={Num(fps)}", $"tpad=stop_mode=clone:stop_duration={Num(length)}"]);
                }
                else
                {
                    input = $"{graph.AddPicture(context.PathOf(drawing), fps)}:v";
                    held = true;
                }
                filters.Add(pixels);
                (sourceWidth, sourceHeight) = SourceSize(context, clip, drawing, null);
                fitClip = clip with { Fit = "none" };
                break;
            default:
                (input, var width, var height) = TextRendering.Source(graph, context, clip.Asset, length);
                (sourceWidth, sourceHeight) = (width, height);
                fitClip = clip with { Fit = "none" };
                break;
        }
        var (fit, clipWidth, clipHeight) = ClipFilters.Fit(fitClip, sourceWidth, sourceHeight, context.Geometry);
        filters.AddRange(fit);
        if (held) filters.Add($"tpad=stop_mode=clone:stop_duration={Num(length)}");
        filters.Add($"trim=duration={Num(length)}");
        filters.AddRange(ClipFilters.Color(clip.Filter, clipWidth, clipHeight));
        filters.AddRange(Effects.For(clip.Effect, clipWidth, clipHeight, length, fps));
        filters.AddRange(Transitions.Zooms(clip.Transition, length, clipWidth, clipHeight, fps));
        var label = graph.Chain([input], filters);
        if (luma is not null)
        {
            label = LumaMatte.Apply(graph, context, label, resolved, luma, clipWidth, clipHeight);
        }
        return graph.Chain([label],
        [
            .. ClipShape.For(clip, length, clipWidth, clipHeight, context.Geometry),
            .. Alpha(clip, length),
            .. ClipFilters.Transform(clip.Transform, length),
            $"setpts=PTS-STARTPTS+{Num(resolved.Start)}/TB",
        ]);
    }

    /// <summary>
    /// Whether the clip uses a filter that works on RGB only (colour filters, colorchannelmixer opacity, geq masks).
    /// Otherwise it stays in YUV with alpha, the layout overlay blends onto the yuv420p canvas, which spares two
    /// full-frame colour conversions per frame.
    /// </summary>
    private static bool NeedsRgb(Clip clip) =>
        clip.Filter is not (null or "none" or "blur")
        || clip.Opacity.IsTweened || clip.Opacity.Value < 1
        || Transitions.Masks(clip.Transition, 1).Any();

    private static IEnumerable<string> Alpha(Clip clip, double length)
    {
        if (!clip.Opacity.IsTweened && clip.Opacity.Value < 1)
        {
            yield return $"colorchannelmixer=aa={Num(clip.Opacity.Value)}";
        }
        foreach (var fade in Transitions.Fades(clip.Transition, length))
        {
            yield return fade;
        }
        var factors = Transitions.Masks(clip.Transition, length).ToList();
        if (clip.Opacity.IsTweened)
        {
            factors.Add(TweenExpressions.Of(clip.Opacity, "T", length));
        }
        if (factors.Count > 0)
        {
            var alpha = $"alpha(X,Y)*{string.Join("*", factors.Select(f => $"({f})"))}";
            yield return $"geq=r={Value("r(X,Y)")}:g={Value("g(X,Y)")}:b={Value("b(X,Y)")}:a={Value(alpha)}";
        }
    }

    /// <summary>The source's size after its crop; without probe data the clip's box stands in for it.</summary>
    private static (double Width, double Height) SourceSize(CompileContext context, Clip clip, string src, AssetCrop? crop)
    {
        var media = context.MediaOf(src);
        double width = media is { Width: > 0 } ? media.Width : clip.Width ?? context.Geometry.Width;
        double height = media is { Height: > 0 } ? media.Height : clip.Height ?? context.Geometry.Height;
        if (crop is not null)
        {
            width *= Math.Max(0.01, 1 - crop.Left - crop.Right);
            height *= Math.Max(0.01, 1 - crop.Top - crop.Bottom);
        }
        return (width, height);
    }
}
