namespace Reelgate.Rendering;

internal static class TextAssetReader
{
    public const string DefaultFamily = "DejaVu Sans";

    public static Asset? Read(JsonScope scope)
    {
        var text = scope.String("text", required: true);
        var width = scope.Integer("width", min: 1, max: 3840);
        var height = scope.Integer("height", min: 1, max: 2160);
        var font = scope.Object("font", Font) ?? new TextFont(DefaultFamily, "#ffffff", 1, 32, 400, 1);
        var background = scope.Object("background", Background);
        var alignment = scope.Object("alignment", s => new[]
        {
            s.Enum("horizontal", EditVocabulary.HorizontalAlignments) ?? "center",
            s.Enum("vertical", EditVocabulary.VerticalAlignments) ?? "center",
        }) ?? ["center", "center"];
        var stroke = scope.Object("stroke", s => new TextStroke(s.Number("width", 0, 10) ?? 0, ValueReaders.Color(s, "color") ?? "#000000"));
        var animation = scope.Object("animation", Animation);
        var ellipsis = scope.String("ellipsis");
        if (text is null) return null;
        var asset = new TextAsset(text, width, height, font, background, alignment[0], alignment[1], stroke, ellipsis);
        return animation is null ? asset : Typed(asset, animation);
    }

    private static readonly string[] TextPresets = ["typewriter"];

    private static RichAnimation? Animation(JsonScope scope)
    {
        var preset = scope.Enum("preset", TextPresets, required: true);
        var duration = scope.Number("duration", 0.1, 30);
        return preset is null ? null : new RichAnimation(preset, duration, null);
    }

    /// <summary>
    /// A text asset that types itself out is drawn as the rich-text asset it amounts to, whose letters can be shown one
    /// at a time; its box, font, background, padding, alignment and stroke carry over.
    /// </summary>
    private static RichTextAsset Typed(TextAsset text, RichAnimation animation)
    {
        var font = text.Font;
        var padding = text.Background?.Padding ?? 0;
        return new RichTextAsset(
            text.Text, text.Width, text.Height,
            new RichFont(font.Family, font.Size, font.Weight, font.Color, font.Opacity),
            new RichStyle(0, 0, Math.Max(font.LineHeight, 0.1) * 1.2, "none", "none", null),
            text.Stroke is { Width: > 0 } stroke ? new RichStroke(stroke.Width, stroke.Color, 1) : null,
            null,
            text.Background is { } background ? new RichBackground(background.Color, background.Opacity, 0, false, 0) : null,
            null,
            new RichPadding(padding, padding, padding, padding),
            text.HorizontalAlignment, text.VerticalAlignment, animation);
    }

    private static TextFont Font(JsonScope scope) => new(
        scope.String("family", nonEmpty: true) ?? DefaultFamily,
        ValueReaders.Color(scope, "color") ?? "#ffffff",
        scope.Number("opacity", 0, 1) ?? 1,
        FontValues.Size(scope, 512) ?? 32,
        FontValues.Weight(scope) ?? 400,
        scope.Number("lineHeight", 0, 10) ?? 1);

    internal static TextBackground Background(JsonScope scope)
    {
        var background = new TextBackground(
            ValueReaders.Color(scope, "color") ?? "#000000",
            scope.Number("opacity", 0, 1) ?? 1,
            scope.Integer("padding", min: 0, max: 100) ?? 0);
        scope.Number("borderRadius", min: 0);
        scope.Bool("wrap");
        return background;
    }
}
