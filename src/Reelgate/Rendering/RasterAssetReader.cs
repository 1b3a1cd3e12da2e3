using System.Text.Json;

namespace Reelgate.Rendering;

/// <summary>Reads the assets Chromium draws: html, rich-text, svg and shape.</summary>
internal static class RasterAssetReader
{
    public const string RichTextFamily = "Open Sans";

    private static readonly string[] Shapes = ["rectangle", "circle", "line"];
    private static readonly string[] RichVertical = ["top", "middle", "bottom"];
    private static readonly string[] TextTransforms = ["none", "uppercase", "lowercase", "capitalize"];
    private static readonly string[] TextDecorations = ["none", "underline", "line-through"];
    private static readonly string[] GradientTypes = ["linear", "radial"];
    private static readonly string[] AnimationPresets = ["fadeIn", "slideIn", "typewriter", "ascend", "shift", "movingLetters"];
    private static readonly string[] AnimationDirections = ["left", "right", "up", "down"];
    private static readonly string[] AnimationStyles = ["character", "word"];

    public static RasterAsset? Read(string type, JsonScope scope) => type switch
    {
        "html" => Html(scope),
        "rich-text" => RichText(scope),
        "svg" => Svg(scope),
        _ => Shape(scope),
    };

    private static HtmlAsset? Html(JsonScope scope)
    {
        var html = scope.String("html", required: true);
        var css = scope.String("css");
        var width = scope.Integer("width", min: 1, max: 3840);
        var height = scope.Integer("height", min: 1, max: 2160);
        var background = ValueReaders.Color(scope, "background");
        var position = scope.Enum("position", EditVocabulary.Positions) ?? "center";
        return html is null ? null : new HtmlAsset(html, css, width, height, background, position);
    }

    private static RichTextAsset? RichText(JsonScope scope)
    {
        var text = scope.String("text", required: true);
        if (text is { Length: > 5000 }) scope.Errors.Add(scope.PathOf("text"), "must be at most 5000 characters");
        var width = scope.Integer("width", min: 1, max: 3840);
        var height = scope.Integer("height", min: 1, max: 2160);
        var font = scope.Object("font", s => new RichFont(
            s.String("family", nonEmpty: true) ?? RichTextFamily,
            FontValues.Size(s, 500) ?? 24,
            FontValues.Weight(s) ?? 400,
            ValueReaders.Color(s, "color") ?? "#000000",
            s.Number("opacity", 0, 1) ?? 1)) ?? new RichFont(RichTextFamily, 24, 400, "#000000", 1);
        var style = scope.Object("style", s => new RichStyle(
            s.Number("letterSpacing", -100, 100) ?? 0,
            s.Number("wordSpacing", -100, 100) ?? 0,
            s.Number("lineHeight", 0, 10) ?? 1.2,
            s.Enum("textTransform", TextTransforms) ?? "none",
            s.Enum("textDecoration", TextDecorations) ?? "none",
            s.Object("gradient", Gradient))) ?? new RichStyle(0, 0, 1.2, "none", "none", null);
        var stroke = scope.Object("stroke", s => new RichStroke(
            s.Number("width", 0, 50) ?? 0, ValueReaders.Color(s, "color") ?? "#000000", s.Number("opacity", 0, 1) ?? 1));
        var shadow = scope.Object("shadow", s => new RichShadow(
            s.Number("offsetX", -500, 500) ?? 0, s.Number("offsetY", -500, 500) ?? 0, s.Number("blur", 0, 500) ?? 0,
            ValueReaders.Color(s, "color") ?? "#000000", s.Number("opacity", 0, 1) ?? 0.5));
        var background = scope.Object("background", s => new RichBackground(
            ValueReaders.Color(s, "color"), s.Number("opacity", 0, 1) ?? 1, s.Number("borderRadius", min: 0) ?? 0,
            s.Bool("wrap") ?? false, s.Number("padding", 0, 200) ?? 0));
        var border = scope.Object("border", s => new RichBorder(
            s.Number("width", min: 0) ?? 0, ValueReaders.Color(s, "color") ?? "#000000", s.Number("opacity", 0, 1) ?? 1,
            s.Number("radius", min: 0) ?? 0));
        var padding = Padding(scope);
        var align = scope.Object("align", s => new[]
        {
            s.Enum("horizontal", EditVocabulary.HorizontalAlignments) ?? "center",
            s.Enum("vertical", RichVertical) ?? "middle",
        }) ?? ["center", "middle"];
        var animation = scope.Object("animation", Animation);
        return text is null ? null
            : new RichTextAsset(text, width, height, font, style, stroke, shadow, background, border, padding, align[0], align[1], animation);
    }

    private static RichGradient? Gradient(JsonScope scope)
    {
        var type = scope.Enum("type", GradientTypes) ?? "linear";
        var angle = scope.Number("angle", -360, 360) ?? 0;
        var stops = scope.Array("stops", (element, path) => JsonScope.Open(element, path, scope.Errors) is { } stop
            ? Stop(stop) : null, required: true, minItems: 2);
        return stops is null ? null : new RichGradient(type, angle, stops);
    }

    private static RichGradientStop? Stop(JsonScope scope)
    {
        var offset = scope.Number("offset", 0, 1, required: true);
        var color = ValueReaders.Color(scope, "color", required: true);
        scope.RejectUnknown();
        return offset is null || color is null ? null : new RichGradientStop(offset.Value, color);
    }

    private static RichPadding Padding(JsonScope scope)
    {
        if (scope.Raw("padding") is not { } value) return RichPadding.None;
        if (value.ValueKind != JsonValueKind.Object)
        {
            var all = JsonScope.ReadNumber(value, scope.PathOf("padding"), scope.Errors, 0, 500) ?? 0;
            return new RichPadding(all, all, all, all);
        }
        return scope.Object("padding", s => new RichPadding(
            s.Number("top", 0, 500) ?? 0, s.Number("right", 0, 500) ?? 0, s.Number("bottom", 0, 500) ?? 0, s.Number("left", 0, 500) ?? 0))
            ?? RichPadding.None;
    }

    private static RichAnimation? Animation(JsonScope scope)
    {
        var preset = scope.Enum("preset", AnimationPresets, required: true);
        var duration = scope.Number("duration", 0.1, 30);
        var style = scope.Enum("style", AnimationStyles);
        var direction = scope.Enum("direction", AnimationDirections);
        return preset is null ? null : new RichAnimation(preset, duration, direction, style);
    }

    private static SvgAsset? Svg(JsonScope scope)
    {
        var markup = scope.String("src", required: true, nonEmpty: true);
        if (markup is { Length: > 500_000 }) scope.Errors.Add(scope.PathOf("src"), "must be at most 500000 characters");
        else if (markup is not null && !markup.Contains("<svg", StringComparison.OrdinalIgnoreCase))
        {
            scope.Errors.Add(scope.PathOf("src"), "must be SVG markup (an <svg> element)");
        }
        var opacity = scope.Number("opacity", 0, 1) ?? 1;
        var width = scope.Integer("width", min: 1, max: 3840);
        var height = scope.Integer("height", min: 1, max: 2160);
        return markup is null ? null : new SvgAsset(markup, opacity, width, height);
    }

    private static ShapeAsset? Shape(JsonScope scope)
    {
        var shape = scope.Enum("shape", Shapes, required: true);
        var width = scope.Integer("width", min: 1, max: 3840);
        var height = scope.Integer("height", min: 1, max: 2160);
        var fill = scope.Object("fill", s => new Fill(ValueReaders.Color(s, "color") ?? "#ffffff", s.Number("opacity", 0, 1) ?? 1))
            ?? new Fill("#ffffff", 1);
        var stroke = scope.Object("stroke", s => new Fill(ValueReaders.Color(s, "color") ?? "#000000", s.Number("width", 0, 100) ?? 0));
        double[]? size = shape switch
        {
            "rectangle" => scope.Object("rectangle", s => new[]
            {
                s.Number("width", min: 0, required: true) ?? 0, s.Number("height", min: 0, required: true) ?? 0, s.Number("cornerRadius", min: 0) ?? 0,
            }, required: true),
            "circle" => scope.Object("circle", s => s.Number("radius", min: 0, required: true) is { } r ? new[] { 2 * r, 2 * r, r } : null, required: true),
            "line" => scope.Object("line", s => new[]
            {
                s.Number("length", min: 0, required: true) ?? 0, s.Number("thickness", min: 0, required: true) ?? 0, 0,
            }, required: true),
            _ => null,
        };
        foreach (var other in Shapes.Where(other => other != shape)) scope.Raw(other);
        return shape is null || size is null ? null
            : new ShapeAsset(shape, width, height, fill.Color, fill.Value, stroke?.Color, stroke?.Value ?? 0, size[0], size[1], size[2]);
    }

    private sealed record Fill(string Color, double Value);
}
