using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using static Reelgate.Rendering.CssSyntax;

namespace Reelgate.Rendering;

/// <summary>
/// One page for Chromium to draw: its HTML and the size of the PNG it becomes. An animated page also has its
/// drawings over the clip's frames; it becomes an animated PNG.
/// </summary>
internal sealed record RasterPage(string Html, int Width, int Height, IEnumerable<RasterFrame>? Frames = null);

/// <summary>
/// Writes the page each raster asset is drawn from. The asset's own width and height win, then the clip's, then
/// the output's; an svg without either takes its own size.
/// </summary>
internal static partial class RasterPages
{
    /// <param name="length">The clip's length in seconds, over which an animated page is drawn.</param>
    public static RasterPage For(RasterAsset asset, Clip clip, double length, OutputGeometry canvas, string fontFaces)
    {
        var width = asset.Width ?? clip.Width;
        var height = asset.Height ?? clip.Height;
        return asset switch
        {
            HtmlAsset html => Html(html, width ?? canvas.Width, height ?? canvas.Height, fontFaces),
            RichTextAsset text => RichText(text, width ?? canvas.Width, height ?? canvas.Height, fontFaces, canvas.Fps, length),
            SvgAsset svg => Svg(svg, width, height, canvas),
            ShapeAsset shape => Shape(shape, width, height),
            _ => throw new ArgumentException($"'{asset.Type}' is not drawn by Chromium", nameof(asset)),
        };
    }

    private static RasterPage Html(HtmlAsset html, int width, int height, string fontFaces)
    {
        var background = html.Background is { } color ? $";background:{Rgba(color)}" : "";
        var body = $"<div id=\"reelgate-box\" style=\"{Placement(html.Position)}{background}\"><div>{html.Html}</div></div>";
        return new RasterPage(Document(width, height, fontFaces, html.Css ?? "", body), width, height);
    }

    private static RasterPage RichText(RichTextAsset text, int width, int height, string fontFaces, double fps, double length)
    {
        var font = text.Font;
        var style = text.Style;
        var box = new StringBuilder();
        box.Append(CultureInfo.InvariantCulture, $"justify-content:{Flex(text.HorizontalAlignment)};align-items:{Flex(text.VerticalAlignment)}");
        var p = text.Padding;
        box.Append(CultureInfo.InvariantCulture, $";padding:{Px(p.Top)} {Px(p.Right)} {Px(p.Bottom)} {Px(p.Left)}");
        if (text.Border is { Width: > 0 } border)
        {
            box.Append(CultureInfo.InvariantCulture, $";border:{Px(border.Width)} solid {Rgba(border.Color, border.Opacity)}");
        }
        var radius = text.Border?.Radius ?? 0;
        var span = new StringBuilder();
        span.Append(CultureInfo.InvariantCulture,
            $"font-family:{Family(font.Family)},'DejaVu Sans',sans-serif;font-size:{Px(font.Size)};font-weight:{font.Weight}");
        span.Append(CultureInfo.InvariantCulture,
            $";line-height:{Num(style.LineHeight)};letter-spacing:{Px(style.LetterSpacing)};word-spacing:{Px(style.WordSpacing)}");
        span.Append(CultureInfo.InvariantCulture,
            $";text-transform:{style.TextTransform};text-decoration:{style.TextDecoration};text-align:{text.HorizontalAlignment};white-space:pre-wrap");
        // Letters that move are boxes of their own, which a gradient or a decoration on the line does not reach into:
        // each carries its own, the gradient laid over the whole page so that it still runs across the text.
        var animated = RichTextMotion.Animates(text);
        var paint = style.Gradient is { } gradient
            ? $";background:{Gradient(gradient)}{(animated ? " fixed" : "")};-webkit-background-clip:text;background-clip:text;color:transparent"
            : "";
        span.Append(paint.Length == 0 ? $";color:{Rgba(font.Color, font.Opacity)}" : animated ? ";color:transparent" : paint);
        var unitPaint = animated ? paint + (style.TextDecoration == "none" ? "" : $";text-decoration:{style.TextDecoration}") : "";
        if (text.Stroke is { Width: > 0 } stroke)
        {
            span.Append(CultureInfo.InvariantCulture, $";-webkit-text-stroke:{Px(stroke.Width)} {Rgba(stroke.Color, stroke.Opacity)};paint-order:stroke fill");
        }
        if (text.Shadow is { } shadow)
        {
            span.Append(CultureInfo.InvariantCulture,
                $";text-shadow:{Px(shadow.OffsetX)} {Px(shadow.OffsetY)} {Px(shadow.Blur)} {Rgba(shadow.Color, shadow.Opacity)}");
        }
        if (text.Background is { Color: { } fill } background)
        {
            var fillCss = $";background-color:{Rgba(fill, background.Opacity)}";
            if (background.Wrap)
            {
                span.Append(CultureInfo.InvariantCulture, $"{fillCss};padding:{Px(background.Padding)};border-radius:{Px(background.BorderRadius)};box-decoration-break:clone;-webkit-box-decoration-break:clone");
            }
            else
            {
                box.Append(fillCss);
                radius = Math.Max(radius, background.BorderRadius);
            }
        }
        if (radius > 0) box.Append(CultureInfo.InvariantCulture, $";border-radius:{Px(radius)}");
        string Page(string markup) => Document(width, height, fontFaces, "",
            $"<div id=\"reelgate-box\" style=\"{box}\"><div style=\"max-width:100%\"><span style=\"{span}\">{markup}</span></div></div>");
        return new RasterPage(Page(Text(text.Text)), width, height, animated ? RichTextMotion.Frames(text, fps, length, Page, unitPaint) : null);
    }

    private static string Flex(string alignment) => alignment switch
    {
        "left" or "top" => "flex-start",
        "right" or "bottom" => "flex-end",
        _ => "center",
    };

    private static string Gradient(RichGradient gradient)
    {
        var stops = string.Join(",", gradient.Stops.Select(stop => $"{Rgba(stop.Color)} {Num(stop.Offset * 100)}%"));
        return gradient.Type == "radial" ? $"radial-gradient(circle,{stops})" : $"linear-gradient({Num(gradient.Angle + 90)}deg,{stops})";
    }

    private static RasterPage Svg(SvgAsset svg, int? width, int? height, OutputGeometry canvas)
    {
        var (ownWidth, ownHeight) = SvgSize(svg.Markup);
        var w = width ?? ownWidth ?? canvas.Width;
        var h = height ?? ownHeight ?? (ownWidth is { } ow && ownHeight is null ? ow : canvas.Height);
        const string css = "#reelgate-box>svg{width:100%;height:100%;display:block}";
        var body = $"<div id=\"reelgate-box\" style=\"opacity:{Num(svg.Opacity)}\">{svg.Markup}</div>";
        return new RasterPage(Document(w, h, "", css, body), w, h);
    }

    /// <summary>The size the root svg element declares in pixels, else its viewBox's.</summary>
    private static (int? Width, int? Height) SvgSize(string markup)
    {
        var root = SvgRoot().Match(markup);
        if (!root.Success) return (null, null);
        var tag = root.Value;
        int? Attribute(string name)
        {
            var match = Regex.Match(tag, $"\\s{name}\\s*=\\s*[\"']\\s*([0-9.]+)\\s*(px)?\\s*[\"']", RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1));
            return match.Success && double.TryParse(match.Groups[1].Value, CultureInfo.InvariantCulture, out var value) && value >= 1
                ? (int)Math.Min(4096, Math.Round(value)) : null;
        }
        var (width, height) = (Attribute("width"), Attribute("height"));
        if (width is not null && height is not null) return (width, height);
        var viewBox = ViewBox().Match(tag);
        if (viewBox.Success
            && double.TryParse(viewBox.Groups[1].Value, CultureInfo.InvariantCulture, out var vw)
            && double.TryParse(viewBox.Groups[2].Value, CultureInfo.InvariantCulture, out var vh) && vw >= 1 && vh >= 1)
        {
            return (width ?? (int)Math.Min(4096, Math.Round(vw)), height ?? (int)Math.Min(4096, Math.Round(vh)));
        }
        return (width, height);
    }

    private static RasterPage Shape(ShapeAsset shape, int? boxWidth, int? boxHeight)
    {
        var stroke = shape.StrokeColor is { } color && shape.StrokeWidth > 0 ? shape.StrokeWidth : 0;
        var w = boxWidth ?? Math.Max(1, (int)Math.Ceiling(shape.ShapeWidth + stroke));
        var h = boxHeight ?? Math.Max(1, (int)Math.Ceiling(shape.ShapeHeight + stroke));
        var paint = $"fill=\"{Rgba(shape.FillColor, shape.FillOpacity)}\""
            + (stroke > 0 ? $" stroke=\"{Rgba(shape.StrokeColor!)}\" stroke-width=\"{Num(stroke)}\"" : "");
        var (cx, cy) = (w / 2.0, h / 2.0);
        var element = shape.Shape switch
        {
            "circle" => $"<circle cx=\"{Num(cx)}\" cy=\"{Num(cy)}\" r=\"{Num(shape.CornerRadius)}\" {paint}/>",
            "line" => $"<rect x=\"{Num(cx - shape.ShapeWidth / 2)}\" y=\"{Num(cy - shape.ShapeHeight / 2)}\" width=\"{Num(shape.ShapeWidth)}\" height=\"{Num(shape.ShapeHeight)}\" {paint}/>",
            _ => $"<rect x=\"{Num(cx - shape.ShapeWidth / 2)}\" y=\"{Num(cy - shape.ShapeHeight / 2)}\" width=\"{Num(shape.ShapeWidth)}\" height=\"{Num(shape.ShapeHeight)}\" rx=\"{Num(shape.CornerRadius)}\" {paint}/>",
        };
        var body = $"<div id=\"reelgate-box\"><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\">{element}</svg></div>";
        return new RasterPage(Document(w, h, "", "", body), w, h);
    }

    [GeneratedRegex("<svg\\b[^>]*>", RegexOptions.IgnoreCase, 1000)]
    private static partial Regex SvgRoot();

    [GeneratedRegex("viewBox\\s*=\\s*[\"']\\s*[-0-9.]+[\\s,]+[-0-9.]+[\\s,]+([0-9.]+)[\\s,]+([0-9.]+)\\s*[\"']", RegexOptions.IgnoreCase, 1000)]
    private static partial Regex ViewBox();
}
