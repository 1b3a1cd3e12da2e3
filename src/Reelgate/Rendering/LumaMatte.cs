using static Reelgate.Rendering.FilterSyntax;

namespace Reelgate.Rendering;

/// <summary>
/// Uses a luma clip as the alpha of the clip it masks: white shows the clip, black hides it. Outside the luma
/// clip's time the matte is white, so the clip shows normally.
/// </summary>
internal static class LumaMatte
{
    public static string Apply(FilterGraph graph, CompileContext context, string clipLabel, ResolvedClip target, ResolvedClip luma, int width, int height)
    {
        var asset = (LumaAsset)luma.Clip.Asset;
        var fps = Num(context.Geometry.Fps);
        var skip = Math.Max(0, target.Start - luma.Start);
        var delay = Math.Max(0, luma.Start - target.Start);
        var seconds = Math.Max(1 / context.Geometry.Fps, luma.Length - skip);
        var isStill = context.MediaOf(asset.Src) is not { DurationSeconds: > 0.05 };
        var index = isStill
            ? graph.AddStill(context.PathOf(asset.Src), seconds, context.Geometry.Fps)
            : graph.AddMedia(context.PathOf(asset.Src), asset.Trim + skip, seconds);
        var matte = graph.Chain([$"{index}:v"],
            ["setpts=PTS-STARTPTS", $"fps={fps}", $"scale={width}:{height}", "format=rgba", $"setpts=PTS-STARTPTS+{Num(delay)}/TB"]);
        var white = graph.Chain([], [$"color=c=white:s={width}x{height}:r={fps}:d={Num(target.Length)}", "format=rgba"]);
        var full = graph.Chain([white, matte], ["overlay=eof_action=pass:format=rgb", "format=gray"]);
        return graph.Chain([clipLabel, full], ["alphamerge"]);
    }
}
