using static Reelgate.Rendering.FilterSyntax;

namespace Reelgate.Rendering;

/// <summary>
/// Motion effects over the whole clip. Zooms change the scale by 10 % (Slow), 25 % or 50 % (Fast);
/// slides pan across a frame enlarged by the same amounts.
/// </summary>
internal static class Effects
{
    public static IEnumerable<string> For(string? effect, int width, int height, double length, double fps)
    {
        if (effect is null)
        {
            yield break;
        }
        var amount = effect.EndsWith("Slow", StringComparison.Ordinal) ? 0.1 : effect.EndsWith("Fast", StringComparison.Ordinal) ? 0.5 : 0.25;
        var name = effect.Replace("Slow", "", StringComparison.Ordinal).Replace("Fast", "", StringComparison.Ordinal);
        var progress = $"min(it/{Num(length)},1)";
        switch (name)
        {
            case "zoomIn":
                yield return Zoom($"1+{Num(amount)}*{progress}", width, height, fps);
                break;
            case "zoomOut":
                yield return Zoom($"1+{Num(amount)}*(1-{progress})", width, height, fps);
                break;
            default:
                var big = (W: (int)Math.Ceiling(width * (1 + amount)), H: (int)Math.Ceiling(height * (1 + amount)));
                var p = $"min(t/{Num(length)},1)";
                var (x, y) = name switch
                {
                    "slideLeft" => ($"(iw-ow)*{p}", "(ih-oh)/2"),
                    "slideRight" => ($"(iw-ow)*(1-{p})", "(ih-oh)/2"),
                    "slideUp" => ("(iw-ow)/2", $"(ih-oh)*{p}"),
                    _ => ("(iw-ow)/2", $"(ih-oh)*(1-{p})"),
                };
                yield return $"scale={big.W}:{big.H}";
                yield return $"crop=w={width}:h={height}:x={Value(x)}:y={Value(y)}";
                break;
        }
    }

    /// <summary>A centred zoompan that keeps the frame size; zoom is an expression of the input time "it".</summary>
    public static string Zoom(string zoom, int width, int height, double fps) =>
        $"zoompan=z={Value(zoom)}:x={Value("iw/2-(iw/zoom/2)")}:y={Value("ih/2-(ih/zoom/2)")}:d=1:s={width}x{height}:fps={Num(fps)}";
}
