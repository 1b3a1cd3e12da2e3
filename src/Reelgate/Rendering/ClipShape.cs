using static Reelgate.Rendering.FilterSyntax;

namespace Reelgate.Rendering;

/// <summary>
/// Animated scale and skew. Frames keep one size all through a stream (ffmpeg's overlay cannot take frames that change
/// size), so the clip is padded to the largest box its shape ever needs, and each frame's corners are moved inside it.
/// </summary>
internal static class ClipShape
{
    public const double MaxScale = 100;

    private const int Border = 2;

    /// <summary>How far Back easings overshoot their target, as a fraction of the change.</summary>
    private const double Overshoot = 0.11;

    /// <summary>The largest value the animation reaches: the clip is fitted at this scale and shrunk from it.</summary>
    public static double Peak(Animated value) => value.IsTweened
        ? value.Tweens.Max(t => Math.Max(Math.Abs(t.From), Math.Abs(t.To)) + (IsBack(t) ? Overshoot * Math.Abs(t.To - t.From) : 0))
        : value.Value;

    public static IEnumerable<string> For(Clip clip, double length, int width, int height, OutputGeometry canvas)
    {
        var scale = clip.Scale is { IsTweened: true } s ? s : null;
        var skewX = Moving(clip.Transform.SkewX);
        var skewY = Moving(clip.Transform.SkewY);
        if (scale is null && skewX is null && skewY is null)
        {
            yield break;
        }
        // The clip was fitted at its peak scale, so its size now is its largest; the factor only shrinks it.
        var time = $"(in/{Num(canvas.Fps)})";
        var factor = scale is null ? "1" : $"min(max(({TweenExpressions.Of(scale, time, length)})/{Num(Peak(scale))},0),1)";
        var kx = skewX is null ? "0" : $"({TweenExpressions.Of(skewX, time, length)})";
        var ky = skewY is null ? "0" : $"({TweenExpressions.Of(skewY, time, length)})";
        // perspective repeats the frame's edge pixels outwards, so the margin is never less than a transparent border.
        // A steep shear reaches far outside the frame; the margin stops where the output does.
        var padX = Border + Even(Math.Min((skewX is null ? 0 : Peak(skewX)) * height / 2, canvas.Width));
        var padY = Border + Even(Math.Min((skewY is null ? 0 : Peak(skewY)) * width / 2, canvas.Height));
        var (anchorX, anchorY) = Anchor(clip.Position);
        // Scaled about the clip's anchor (its corner, edge or centre, as placed), then sheared about its centre.
        var ax = padX + anchorX * width;
        var ay = padY + anchorY * height;
        var cx = $"({Num(ax)}+({Num(padX + width / 2.0)}-{Num(ax)})*{factor})";
        var cy = $"({Num(ay)}+({Num(padY + height / 2.0)}-{Num(ay)})*{factor})";
        // perspective moves the corners of the whole padded frame; its transparent margin moves with the clip.
        var (canvasWidth, canvasHeight) = (width + 2 * padX, height + 2 * padY);
        var corners = new List<string>();
        foreach (var (sx, sy) in new[] { (0, 0), (canvasWidth, 0), (0, canvasHeight), (canvasWidth, canvasHeight) })
        {
            var x = $"({Num(ax)}+({Num(sx)}-{Num(ax)})*{factor})";
            var y = $"({Num(ay)}+({Num(sy)}-{Num(ay)})*{factor})";
            corners.Add($"{x}+{kx}*({y}-{cy})");
            corners.Add($"{y}+{ky}*({x}-{cx})");
        }
        yield return $"pad=w={canvasWidth}:h={canvasHeight}:x={padX}:y={padY}:color=black@0";
        yield return "perspective=" + string.Join(":", corners.Select((c, i) => $"{(i % 2 == 0 ? "x" : "y")}{i / 2}={Value(c)}"))
            + $":sense=destination:eval={(IsMoving(scale) || IsMoving(skewX) || IsMoving(skewY) ? "frame" : "init")}";
    }

    /// <summary>Null when the value never leaves zero.</summary>
    private static Animated? Moving(Animated? value) => value is null || (!value.IsTweened && value.Value == 0) ? null : value;

    private static bool IsMoving(Animated? value) => value is { IsTweened: true };

    private static bool IsBack(Tween tween) => tween.Easing?.EndsWith("Back", StringComparison.Ordinal) == true;

    private static int Even(double value) => (int)Math.Ceiling(value / 2) * 2;

    private static (double X, double Y) Anchor(string position) => position switch
    {
        "topLeft" => (0, 0),
        "top" => (0.5, 0),
        "topRight" => (1, 0),
        "left" => (0, 0.5),
        "right" => (1, 0.5),
        "bottomLeft" => (0, 1),
        "bottom" => (0.5, 1),
        "bottomRight" => (1, 1),
        _ => (0.5, 0.5),
    };
}
