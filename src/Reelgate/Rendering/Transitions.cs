using static Reelgate.Rendering.FilterSyntax;

namespace Reelgate.Rendering;

/// <summary>
/// In and out transitions. A transition lasts 1 s, 2 s with the Slow suffix and 0.5 s with Fast, and at most half
/// the clip. Carousel transitions move like slides; shuffle transitions slide in from their first-named side.
/// </summary>
internal static class Transitions
{
    public static double Duration(string name, double clipLength)
    {
        var seconds = name.EndsWith("Slow", StringComparison.Ordinal) ? 2 : name.EndsWith("Fast", StringComparison.Ordinal) ? 0.5 : 1;
        return Math.Min(seconds, clipLength / 2);
    }

    public static string Kind(string? name) => name is null
        ? "none"
        : name.Replace("Slow", "", StringComparison.Ordinal).Replace("Fast", "", StringComparison.Ordinal) switch
        {
            var n when n.StartsWith("carousel", StringComparison.Ordinal) => "slide" + n["carousel".Length..],
            var n when n.StartsWith("shuffleTop", StringComparison.Ordinal) => "slideDown",
            var n when n.StartsWith("shuffleBottom", StringComparison.Ordinal) => "slideUp",
            var n when n.StartsWith("shuffleLeft", StringComparison.Ordinal) => "slideRight",
            var n when n.StartsWith("shuffleRight", StringComparison.Ordinal) => "slideLeft",
            var n => n,
        };

    /// <summary>Alpha fades, on clip-relative time.</summary>
    public static IEnumerable<string> Fades(ClipTransition transition, double length)
    {
        if (Kind(transition.In) is "fade" or "zoom")
        {
            yield return $"fade=t=in:st=0:d={Num(Duration(transition.In!, length))}:alpha=1";
        }
        if (Kind(transition.Out) is "fade" or "zoom")
        {
            var d = Duration(transition.Out!, length);
            yield return $"fade=t=out:st={Num(length - d)}:d={Num(d)}:alpha=1";
        }
    }

    /// <summary>Wipe and reveal masks as alpha factors of geq's X, Y, W, H and clip-relative T.</summary>
    public static IEnumerable<string> Masks(ClipTransition transition, double length)
    {
        if (transition.In is { } name && Mask(Kind(name), $"clip(T/{Num(Duration(name, length))},0,1)", entering: true) is { } mask)
        {
            yield return mask;
        }
        if (transition.Out is { } outName)
        {
            var d = Duration(outName, length);
            if (Mask(Kind(outName), $"clip((T-{Num(length - d)})/{Num(d)},0,1)", entering: false) is { } outMask)
            {
                yield return outMask;
            }
        }
    }

    public static IEnumerable<string> Zooms(ClipTransition transition, double length, int width, int height, double fps)
    {
        if (Kind(transition.In) == "zoom")
        {
            yield return Effects.Zoom($"1+0.5*(1-min(it/{Num(Duration(transition.In!, length))},1))", width, height, fps);
        }
        if (Kind(transition.Out) == "zoom")
        {
            var d = Duration(transition.Out!, length);
            yield return Effects.Zoom($"1+0.5*clip((it-{Num(length - d)})/{Num(d)},0,1)", width, height, fps);
        }
    }

    /// <summary>Slide displacement in overlay coordinates (absolute time t) for a clip placed at start.</summary>
    public static (string X, string Y) Slides(ClipTransition transition, double start, double length)
    {
        var x = new List<string>();
        var y = new List<string>();
        if (transition.In is { } name)
        {
            var rest = $"(1-clip((t-{Num(start)})/{Num(Duration(name, length))},0,1))";
            Slide(Kind(name), rest, entering: true, x, y);
        }
        if (transition.Out is { } outName)
        {
            var d = Duration(outName, length);
            var gone = $"clip((t-{Num(start + length - d)})/{Num(d)},0,1)";
            Slide(Kind(outName), gone, entering: false, x, y);
        }
        return (x.Count == 0 ? "0" : string.Join("+", x), y.Count == 0 ? "0" : string.Join("+", y));
    }

    private static void Slide(string kind, string amount, bool entering, List<string> x, List<string> y)
    {
        var sign = entering ? 1 : -1;
        switch (kind)
        {
            case "slideLeft":
                x.Add($"{Num(sign)}*W*{amount}");
                break;
            case "slideRight":
                x.Add($"{Num(-sign)}*W*{amount}");
                break;
            case "slideUp":
                y.Add($"{Num(sign)}*H*{amount}");
                break;
            case "slideDown":
                y.Add($"{Num(-sign)}*H*{amount}");
                break;
        }
    }

    private static string? Mask(string kind, string p, bool entering) => (kind, entering) switch
    {
        ("wipeRight", true) => $"lte(X,W*{p})",
        ("wipeLeft", true) => $"gte(X,W*(1-{p}))",
        ("reveal", true) => $"lte(Y,H*{p})",
        ("wipeRight", false) => $"gte(X,W*{p})",
        ("wipeLeft", false) => $"lte(X,W*(1-{p}))",
        ("reveal", false) => $"gte(Y,H*{p})",
        _ => null,
    };
}
