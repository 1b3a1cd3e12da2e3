namespace Reelgate.Rendering;

internal static class TextAssetReader
{
    public const string DefaultFamily = "DejaVu Sans";

    public static TextAsset? Read(JsonScope scope)
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
        if (scope.Has("animation"))
        {
            scope.Errors.Unsupported(scope.PathOf("animation"), "text animation is not supported by the local renderer");
        }
        scope.Raw("animation");
        var ellipsis = scope.String("ellipsis");
        return text is null ? null : new TextAsset(text, width, height, font, background, alignment[0], alignment[1], stroke, ellipsis);
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
