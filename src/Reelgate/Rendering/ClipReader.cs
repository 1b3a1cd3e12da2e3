using System.Text.Json;

namespace Reelgate.Rendering;

internal static class ClipReader
{
    public static Clip? Read(JsonElement element, string path, ValidationErrors errors)
    {
        if (JsonScope.Open(element, path, errors) is not { } scope)
        {
            return null;
        }
        var asset = scope.Raw("asset", required: true) is { } assetJson ? AssetReader.Read(assetJson, scope.PathOf("asset"), errors) : null;
        var start = ValueReaders.Start(scope);
        var length = ValueReaders.Length(scope);
        var id = scope.String("id");
        var alias = scope.String("alias");
        if (alias is not null && !ValueReaders.IsAliasName(alias))
        {
            errors.Add(scope.PathOf("alias"), "must contain only letters, digits, '_' and '-'");
        }
        var fit = scope.Enum("fit", EditVocabulary.Fits) ?? "crop";
        var scale = Scale(scope);
        var width = scope.Integer("width", min: 1, max: 3840);
        var height = scope.Integer("height", min: 1, max: 2160);
        var position = scope.Enum("position", EditVocabulary.Positions) ?? "center";
        var offset = scope.Object("offset", Offset) ?? ClipOffset.Zero;
        var opacity = ValueReaders.Animated(scope, "opacity", 0, 1) ?? Animated.Of(1);
        var transition = scope.Object("transition", s => new ClipTransition(
            s.Enum("in", EditVocabulary.Transitions), s.Enum("out", EditVocabulary.Transitions))) ?? ClipTransition.None;
        var effect = scope.Enum("effect", EditVocabulary.Effects);
        var filter = scope.Enum("filter", EditVocabulary.Filters);
        var transform = scope.Object("transform", Transform) ?? ClipTransform.None;
        scope.RejectUnknown();
        if (asset is null || start is null || length is null)
        {
            return null;
        }
        return RichTextAnimation.Apply(new Clip(asset, start, length, id, alias, fit, scale, width, height, position, offset, opacity, transition,
            effect, filter, transform));
    }

    public static ClipOffset Offset(JsonScope scope) => new(
        ValueReaders.Animated(scope, "x", -10, 10) ?? Animated.Of(0),
        ValueReaders.Animated(scope, "y", -10, 10) ?? Animated.Of(0));

    private static Animated? Scale(JsonScope scope)
    {
        var scale = ValueReaders.Animated(scope, "scale", 0, ClipShape.MaxScale);
        if (scale is { IsTweened: false, Value: <= 0 })
        {
            scope.Errors.Add(scope.PathOf("scale"), "must be greater than 0");
            return null;
        }
        return scale;
    }

    private static ClipTransform Transform(JsonScope scope)
    {
        var rotate = scope.Object("rotate", s => new Box(ValueReaders.Animated(s, "angle", -360, 360)));
        var skew = scope.Object("skew", s => new[] { ValueReaders.Animated(s, "x", -100, 100), ValueReaders.Animated(s, "y", -100, 100) });
        var flip = scope.Object("flip", s => new[] { s.Bool("horizontal") ?? false, s.Bool("vertical") ?? false }) ?? [false, false];
        return new ClipTransform(rotate?.Value, flip[0], flip[1], skew?[0], skew?[1]);
    }

    private sealed record Box(Animated? Value);
}
