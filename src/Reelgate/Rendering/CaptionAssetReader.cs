namespace Reelgate.Rendering;

internal static class CaptionAssetReader
{
    public static CaptionAsset? Read(JsonScope scope)
    {
        var raw = scope.String("src", required: true);
        string? src = null;
        if (raw is not null && raw.StartsWith("alias://", StringComparison.Ordinal))
        {
            scope.Errors.Unsupported(scope.PathOf("src"), "captions transcribed from another clip are not supported by the local renderer; give an .srt or .vtt URL");
        }
        else
        {
            src = ValueReaders.Url(scope, "src", required: true);
        }
        string? strokeColor = null;
        double strokeWidth = 0;
        var font = scope.Object("font", s =>
        {
            strokeColor = ValueReaders.Color(s, "stroke");
            strokeWidth = s.Number("strokeWidth", 0, 10) ?? 0;
            return new TextFont(
                s.String("family", nonEmpty: true) ?? TextAssetReader.DefaultFamily,
                ValueReaders.Color(s, "color") ?? "#ffffff",
                s.Number("opacity", 0, 1) ?? 1,
                FontValues.Size(s, 512) ?? 16,
                FontValues.Weight(s) ?? 400,
                s.Number("lineHeight", 0, 10) ?? 1);
        }) ?? new TextFont(TextAssetReader.DefaultFamily, "#ffffff", 1, 16, 400, 1);
        var background = scope.Object("background", TextAssetReader.Background);
        var margin = scope.Object("margin", s => new CaptionMargin(s.Number("top", 0, 1) ?? 0, s.Number("left", 0, 1) ?? 0, s.Number("right", 0, 1) ?? 0))
            ?? new CaptionMargin(0, 0, 0);
        var trim = scope.Number("trim", min: 0) ?? 0;
        var speed = scope.Number("speed", min: 0, max: 10, aboveMin: true) ?? 1;
        var stroke = strokeWidth > 0 ? new TextStroke(strokeWidth, strokeColor ?? "#000000") : null;
        return src is null ? null : new CaptionAsset(src, font, stroke, background, margin, trim, speed);
    }
}
