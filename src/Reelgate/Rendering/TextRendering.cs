using static Reelgate.Rendering.FilterSyntax;

namespace Reelgate.Rendering;

/// <summary>Draws title and text assets with drawtext onto a transparent layer, one drawtext per line.</summary>
internal static class TextRendering
{
    /// <summary>Adds a source chain for the asset; returns its label and the layer size.</summary>
    public static (string Label, int Width, int Height) Source(FilterGraph graph, CompileContext context, Asset asset, double length)
    {
        return asset switch
        {
            TitleAsset title => Title(graph, context, title, length),
            TextAsset text => Text(graph, context, text, length),
            CaptionAsset caption => Captions(graph, context, caption, length),
            _ => throw new ArgumentException($"'{asset.Type}' is not a text asset", nameof(asset)),
        };
    }

    private static (string, int, int) Title(FilterGraph graph, CompileContext context, TitleAsset title, double length)
    {
        var (width, height) = (context.Geometry.Width, context.Geometry.Height);
        return (Layer(graph, context, width, height, "0x000000@0", length, TitleDraws(graph, context, title, length, "t")), width, height);
    }

    /// <summary>
    /// The drawtext filters that draw a title onto a picture of the output's size.
    /// </summary>
    /// <param name="time">The expression for the seconds since the clip began, which its offset tweens follow.</param>
    public static IEnumerable<string> TitleDraws(FilterGraph graph, CompileContext context, TitleAsset title, double length, string time)
    {
        var (width, height) = (context.Geometry.Width, context.Geometry.Height);
        var size = Math.Max(8, (int)Math.Round(height * SizeFactor(title.Size)));
        var (family, weight) = StyleFont(title.Style);
        var text = title.Style == "blockbuster" ? title.Text.ToUpperInvariant() : title.Text;
        var lines = TextLayout.Wrap(text, width * 0.9, size);
        var spacing = size * 1.25;
        var margin = size * 0.5;
        var blockHeight = lines.Count * spacing;
        var top = title.Position switch
        {
            "top" or "topLeft" or "topRight" => Num(margin),
            "bottom" or "bottomLeft" or "bottomRight" => $"(h-{Num(margin + blockHeight)})",
            _ => $"((h-{Num(blockHeight)})/2)",
        };
        var left = title.Position switch
        {
            "left" or "topLeft" or "bottomLeft" => Num(margin),
            "right" or "topRight" or "bottomRight" => $"(w-text_w-{Num(margin)})",
            _ => "((w-text_w)/2)",
        };
        var dx = $"({TweenExpressions.Of(title.Offset.X, time, length)})*w";
        var dy = $"({TweenExpressions.Of(title.Offset.Y, time, length)})*h";
        var font = context.Fonts.Resolve(family, weight);
        var box = title.Background is { } background ? $":box=1:boxcolor={Color(background)}:boxborderw={Num(size / 4)}" : "";
        return lines.Select((line, i) =>
            Draw(graph, font, line, size, Color(title.Color), $"{left}+{dx}", $"{top}+{Num(i * spacing)}-{dy}") + box).ToList();
    }

    private static (string, int, int) Text(FilterGraph graph, CompileContext context, TextAsset text, double length)
    {
        // The layer is yuva420p, whose colour source drops an odd last row and column, so the box is even from the start.
        var width = Even(text.Width ?? context.Geometry.Width);
        var height = Even(text.Height ?? context.Geometry.Height);
        var padding = text.Background?.Padding ?? 0;
        var font = text.Font;
        var spacing = font.Size * Math.Max(font.LineHeight, 0.1) * 1.2;
        var maxLines = Math.Max(1, (int)((height - 2 * padding) / spacing));
        var lines = TextLayout.Wrap(text.Text, width - 2 * padding, font.Size, maxLines, text.Ellipsis);
        var blockHeight = lines.Count * spacing;
        var top = text.VerticalAlignment switch
        {
            "top" => padding,
            "bottom" => height - padding - blockHeight,
            _ => (height - blockHeight) / 2,
        };
        var left = text.HorizontalAlignment switch
        {
            "left" => Num(padding),
            "right" => $"(w-text_w-{Num(padding)})",
            _ => "((w-text_w)/2)",
        };
        var file = context.Fonts.Resolve(font.Family, font.Weight);
        var stroke = text.Stroke is { Width: > 0 } s ? $":borderw={Num((int)Math.Ceiling(s.Width))}:bordercolor={Color(s.Color)}" : "";
        var draws = lines.Select((line, i) =>
            Draw(graph, file, line, font.Size, Color(font.Color, font.Opacity), left, Num(top + i * spacing + (spacing - font.Size) / 2)) + stroke);
        var background = text.Background is { } bg ? Color(bg.Color, bg.Opacity) : "0x000000@0";
        return (Layer(graph, context, width, height, background, length, draws), width, height);
    }

    /// <summary>Each cue's lines, centred along the bottom of the frame and shown only while the cue runs.</summary>
    private static (string, int, int) Captions(FilterGraph graph, CompileContext context, CaptionAsset caption, double length)
    {
        var (width, height) = (context.Geometry.Width, context.Geometry.Height);
        var font = caption.Font;
        var padding = caption.Background?.Padding ?? 0;
        var spacing = font.Size * Math.Max(font.LineHeight, 0.1) * 1.2;
        var lineWidth = Math.Max(font.Size, width * (1 - caption.Margin.Left - caption.Margin.Right) - 2 * padding);
        var bottom = height * 0.95 - padding;
        var maxLines = Math.Max(1, (int)((bottom - height * caption.Margin.Top) / spacing));
        var centre = width * (caption.Margin.Left + (1 - caption.Margin.Left - caption.Margin.Right) / 2);
        var file = context.Fonts.Resolve(font.Family, font.Weight);
        var stroke = caption.Stroke is { } s ? $":borderw={Num((int)Math.Ceiling(s.Width))}:bordercolor={Color(s.Color)}" : "";
        var box = caption.Background is { } bg ? $":box=1:boxcolor={Color(bg.Color, bg.Opacity)}:boxborderw={Num(padding)}" : "";
        var draws = new List<string>();
        var cues = SubtitleCues.Parse(File.ReadAllText(context.PathOf(caption.Src)));
        foreach (var cue in cues)
        {
            var (from, to) = ((cue.Start - caption.Trim) / caption.Speed, (cue.End - caption.Trim) / caption.Speed);
            if (to <= 0 || from >= length) continue;
            var lines = cue.Text.Split('\n').SelectMany(line => TextLayout.Wrap(line, lineWidth, font.Size)).TakeLast(maxLines).ToList();
            var top = bottom - lines.Count * spacing;
            var enable = $":enable={Value($"between(t,{Num(Math.Max(0, from))},{Num(to)})")}";
            draws.AddRange(lines.Select((line, i) =>
                Draw(graph, file, line, font.Size, Color(font.Color, font.Opacity), $"{Num(centre)}-text_w/2", Num(top + i * spacing + (spacing - font.Size) / 2))
                + stroke + box + enable));
        }
        return (Layer(graph, context, width, height, "0x000000@0", length, draws), width, height);
    }

    private static int Even(int pixels) => Math.Max(2, pixels & ~1);

    private static string Layer(FilterGraph graph, CompileContext context, int width, int height, string color, double length, IEnumerable<string> draws) =>
        graph.Chain([], [$"color=c={color}:s={width}x{height}:r={Num(context.Geometry.Fps)}:d={Num(length)}", "format=yuva420p", .. draws]);

    private static string Draw(FilterGraph graph, string? font, string line, int size, string color, string x, string y)
    {
        var fontOption = font is null ? "" : $"fontfile={Value(font)}:";
        return $"drawtext={fontOption}textfile={Value(graph.AddTextFile(line))}:expansion=none:fontsize={Num(size)}"
            + $":fontcolor={color}:x={Value(x)}:y={Value(y)}";
    }

    private static double SizeFactor(string size) => size switch
    {
        "xx-small" => 0.03,
        "x-small" => 0.04,
        "small" => 0.05,
        "large" => 0.085,
        "x-large" => 0.11,
        "xx-large" => 0.14,
        _ => 0.065,
    };

    /// <summary>Title styles drawn with the DejaVu faces closest in spirit to Shotstack's.</summary>
    private static (string Family, int Weight) StyleFont(string style) => style switch
    {
        "blockbuster" or "chunk" => ("DejaVu Sans", 700),
        "vogue" => ("DejaVu Serif", 400),
        "marker" => ("DejaVu Serif", 700),
        "skinny" => ("DejaVu Sans", 200),
        "sketchy" => ("DejaVu Sans Mono", 400),
        "future" => ("DejaVu Sans Mono", 700),
        _ => ("DejaVu Sans", 400),
    };
}
