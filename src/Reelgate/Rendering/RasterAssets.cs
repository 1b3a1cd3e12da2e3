namespace Reelgate.Rendering;

/// <summary>An asset drawn once per clip by headless Chromium into a transparent PNG, then laid out like an image.</summary>
public abstract record RasterAsset(string Type, int? Width, int? Height) : Asset(Type);

public sealed record HtmlAsset(string Html, string? Css, int? Width, int? Height, string? Background, string Position)
    : RasterAsset("html", Width, Height);

public sealed record RichTextAsset(
    string Text,
    int? Width,
    int? Height,
    RichFont Font,
    RichStyle Style,
    RichStroke? Stroke,
    RichShadow? Shadow,
    RichBackground? Background,
    RichBorder? Border,
    RichPadding Padding,
    string HorizontalAlignment,
    string VerticalAlignment,
    RichAnimation? Animation) : RasterAsset("rich-text", Width, Height);

/// <summary>Raw SVG markup, drawn at the size its own width, height or viewBox give it, or the clip's box.</summary>
public sealed record SvgAsset(string Markup, double Opacity, int? Width, int? Height) : RasterAsset("svg", Width, Height);

public sealed record ShapeAsset(
    string Shape,
    int? Width,
    int? Height,
    string FillColor,
    double FillOpacity,
    string? StrokeColor,
    double StrokeWidth,
    double ShapeWidth,
    double ShapeHeight,
    double CornerRadius) : RasterAsset("shape", Width, Height);

public sealed record RichFont(string Family, int Size, int Weight, string Color, double Opacity);

public sealed record RichStyle(double LetterSpacing, double WordSpacing, double LineHeight, string TextTransform, string TextDecoration, RichGradient? Gradient);

public sealed record RichGradient(string Type, double Angle, IReadOnlyList<RichGradientStop> Stops);

public sealed record RichGradientStop(double Offset, string Color);

public sealed record RichStroke(double Width, string Color, double Opacity);

public sealed record RichShadow(double OffsetX, double OffsetY, double Blur, string Color, double Opacity);

public sealed record RichBackground(string? Color, double Opacity, double BorderRadius, bool Wrap, double Padding);

public sealed record RichBorder(double Width, string Color, double Opacity, double Radius);

public sealed record RichPadding(double Top, double Right, double Bottom, double Left)
{
    public static readonly RichPadding None = new(0, 0, 0, 0);
}

/// <summary>
/// A rich-text entrance. fadeIn and slideIn become tweens on the clip (see <see cref="RichTextAnimation"/>); the
/// others move the text a letter or a word at a time (see <see cref="RichTextMotion"/>).
/// </summary>
public sealed record RichAnimation(string Preset, double? Duration, string? Direction, string? Style = null);
