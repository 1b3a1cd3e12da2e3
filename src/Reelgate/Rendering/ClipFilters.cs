using static Reelgate.Rendering.FilterSyntax;

namespace Reelgate.Rendering;

/// <summary>Per-clip picture filters: asset crop, fit and scale, colour filters, flips and rotation.</summary>
internal static class ClipFilters
{
    public static IEnumerable<string> Crop(AssetCrop? crop)
    {
        if (crop is null || (crop.Left + crop.Right + crop.Top + crop.Bottom) == 0)
        {
            yield break;
        }
        var width = Math.Max(0.01, 1 - crop.Left - crop.Right);
        var height = Math.Max(0.01, 1 - crop.Top - crop.Bottom);
        yield return $"crop=w={Value($"iw*{Num(width)}")}:h={Value($"ih*{Num(height)}")}:x={Value($"iw*{Num(crop.Left)}")}:y={Value($"ih*{Num(crop.Top)}")}";
    }

    /// <summary>Fits a source of the given size into the clip's box and applies its scale; returns the filters and the result size.</summary>
    public static (List<string> Filters, int Width, int Height) Fit(Clip clip, double sourceWidth, double sourceHeight, OutputGeometry canvas)
    {
        var boxWidth = clip.Width ?? canvas.Width;
        var boxHeight = clip.Height ?? canvas.Height;
        var scale = clip.Scale is { } animated ? ClipShape.Peak(animated) : 1;
        var filters = new List<string>();
        int width, height;
        switch (clip.Fit)
        {
            case "cover":
                (width, height) = (Pixels(boxWidth * scale), Pixels(boxHeight * scale));
                filters.Add($"scale={width}:{height}");
                break;
            case "contain":
                var inside = Math.Min(boxWidth / sourceWidth, boxHeight / sourceHeight) * scale;
                (width, height) = (Pixels(sourceWidth * inside), Pixels(sourceHeight * inside));
                filters.Add($"scale={width}:{height}");
                break;
            case "none":
                (width, height) = (Pixels(sourceWidth * scale), Pixels(sourceHeight * scale));
                if (scale != 1)
                {
                    filters.Add($"scale={width}:{height}");
                }
                break;
            default:
                var cover = Math.Max(boxWidth / sourceWidth, boxHeight / sourceHeight) * scale;
                (width, height) = (Pixels(boxWidth * scale), Pixels(boxHeight * scale));
                filters.Add($"scale={Math.Max(width, (int)Math.Ceiling(sourceWidth * cover))}:{Math.Max(height, (int)Math.Ceiling(sourceHeight * cover))}");
                filters.Add($"crop={width}:{height}");
                break;
        }
        filters.Add("setsar=1");
        return (filters, width, height);
    }

    /// <summary>The nine Shotstack filters, written for RGBA so the clip keeps its transparency.</summary>
    public static IEnumerable<string> Color(string? filter, int width, int height)
    {
        switch (filter)
        {
            case "blur":
                yield return $"gblur=sigma={Num(Math.Max(2, Math.Min(width, height) / 60.0))}";
                break;
            case "boost":
                yield return Saturation(1.4);
                yield return Contrast(1.15);
                break;
            case "contrast":
                yield return Contrast(1.4);
                break;
            case "darken":
                yield return "colorchannelmixer=rr=0.7:gg=0.7:bb=0.7";
                break;
            case "greyscale":
                yield return Saturation(0);
                break;
            case "lighten":
                yield return "lutrgb=r='val+(255-val)*0.3':g='val+(255-val)*0.3':b='val+(255-val)*0.3'";
                break;
            case "muted":
                yield return Saturation(0.5);
                yield return Contrast(0.85);
                break;
            case "negative":
                yield return "lutrgb=r=negval:g=negval:b=negval";
                break;
        }
    }

    public static IEnumerable<string> Transform(ClipTransform transform, double length)
    {
        if (transform.FlipHorizontal)
        {
            yield return "hflip";
        }
        if (transform.FlipVertical)
        {
            yield return "vflip";
        }
        if (transform.Rotate is not { } angle || (!angle.IsTweened && angle.Value == 0))
        {
            yield break;
        }
        if (angle.IsTweened)
        {
            var radians = Value($"({TweenExpressions.Of(angle, "t", length)})*PI/180");
            yield return $"rotate=a={radians}:ow={Value("hypot(iw,ih)")}:oh={Value("hypot(iw,ih)")}:c=black@0";
            yield break;
        }
        var fixedAngle = Num(angle.Value * Math.PI / 180);
        yield return $"rotate=a={fixedAngle}:ow={Value($"rotw({fixedAngle})")}:oh={Value($"roth({fixedAngle})")}:c=black@0";
    }

    private static string Saturation(double s)
    {
        double r = 0.299 * (1 - s), g = 0.587 * (1 - s), b = 0.114 * (1 - s);
        return $"colorchannelmixer=rr={Num(r + s)}:rg={Num(g)}:rb={Num(b)}:gr={Num(r)}:gg={Num(g + s)}:gb={Num(b)}:br={Num(r)}:bg={Num(g)}:bb={Num(b + s)}";
    }

    private static string Contrast(double c)
    {
        var curve = $"clip((val-128)*{Num(c)}+128,0,255)";
        return $"lutrgb=r={Value(curve)}:g={Value(curve)}:b={Value(curve)}";
    }

    private static int Pixels(double value) => Math.Max(2, (int)Math.Round(value));
}
