using System.Text.Json;

namespace Reelgate.Rendering;

internal static class AssetReader
{
    private static readonly string[] GenerativeFields = ["prompt", "inputSrc", "model", "voice", "musicLengthMs"];

    public static Asset? Read(JsonElement element, string path, ValidationErrors errors)
    {
        if (JsonScope.Open(element, path, errors) is not { } scope)
        {
            return null;
        }
        var type = scope.Enum("type", EditVocabulary.AssetTypes, required: true);
        if (type is null)
        {
            return null;
        }
        if (errors.ForForwarding && (!EditVocabulary.LocallyRenderedAssetTypes.Contains(type) || GenerativeFields.Any(scope.Has)))
        {
            return new ForwardedAsset(type);
        }
        if (!EditVocabulary.LocallyRenderedAssetTypes.Contains(type))
        {
            errors.Add(scope.PathOf("type"), $"'{type}' is not supported by the local renderer");
            return null;
        }
        if (GenerativeFields.FirstOrDefault(scope.Has) is { } generative)
        {
            errors.Add(scope.PathOf(generative), $"generated {type} assets ('{generative}') are not supported by the local renderer");
            return null;
        }
        Asset? asset = type switch
        {
            "video" => Video(scope),
            "image" => Image(scope),
            "audio" => Audio(scope),
            "luma" => Luma(scope),
            "title" => Title(scope),
            "html" or "rich-text" or "svg" or "shape" => RasterAssetReader.Read(type, scope),
            "caption" => CaptionAssetReader.Read(scope),
            _ => TextAssetReader.Read(scope),
        };
        scope.RejectUnknown();
        return asset;
    }

    private static VideoAsset? Video(JsonScope scope)
    {
        var src = ValueReaders.Url(scope, "src", required: true);
        var trim = scope.Number("trim", min: 0) ?? 0;
        var volume = ValueReaders.Animated(scope, "volume", 0, 1) ?? Animated.Of(1);
        var volumeEffect = scope.Enum("volumeEffect", EditVocabulary.AudioEffects);
        var speed = scope.Number("speed", min: 0, max: 10) ?? 1;
        scope.Bool("transcode");
        var crop = scope.Object("crop", Crop);
        var chromaKey = scope.Object("chromaKey", Key);
        return src is null ? null : new VideoAsset(src, trim, volume, volumeEffect, speed, crop, chromaKey);
    }

    private static ImageAsset? Image(JsonScope scope)
    {
        var src = ValueReaders.Url(scope, "src", required: true);
        var crop = scope.Object("crop", Crop);
        return src is null ? null : new ImageAsset(src, crop);
    }

    private static AudioAsset? Audio(JsonScope scope)
    {
        var src = ValueReaders.Url(scope, "src", required: true);
        var trim = scope.Number("trim", min: 0) ?? 0;
        var volume = ValueReaders.Animated(scope, "volume", 0, 1) ?? Animated.Of(1);
        var speed = scope.Number("speed", min: 0, max: 10) ?? 1;
        var effect = scope.Enum("effect", EditVocabulary.AudioEffects);
        return src is null ? null : new AudioAsset(src, trim, volume, speed, effect);
    }

    private static LumaAsset? Luma(JsonScope scope)
    {
        var src = ValueReaders.Url(scope, "src", required: true);
        var trim = scope.Number("trim", min: 0) ?? 0;
        return src is null ? null : new LumaAsset(src, trim);
    }

    private static TitleAsset? Title(JsonScope scope)
    {
        var text = scope.String("text", required: true);
        var style = scope.Enum("style", EditVocabulary.TitleStyles) ?? "minimal";
        var color = ValueReaders.Color(scope, "color") ?? "#ffffff";
        var size = scope.Enum("size", EditVocabulary.TitleSizes) ?? "medium";
        var background = ValueReaders.Color(scope, "background");
        var position = scope.Enum("position", EditVocabulary.Positions) ?? "center";
        var offset = scope.Object("offset", ClipReader.Offset) ?? ClipOffset.Zero;
        return text is null ? null : new TitleAsset(text, style, color, size, background, position, offset);
    }

    private static AssetCrop Crop(JsonScope scope) => new(
        scope.Number("top", 0, 1) ?? 0,
        scope.Number("bottom", 0, 1) ?? 0,
        scope.Number("left", 0, 1) ?? 0,
        scope.Number("right", 0, 1) ?? 0);

    private static ChromaKey Key(JsonScope scope)
    {
        var color = scope.String("color", required: true);
        if (color is not null && (color.Length is not (4 or 7) || !ValueReaders.IsHexColor(color)))
        {
            scope.Errors.Add(scope.PathOf("color"), "must be a hex colour such as #RGB or #RRGGBB");
        }
        color = color is null ? null : ValueReaders.Expanded(color);
        return new ChromaKey(color ?? "#00ff00", scope.Number("threshold", 0, 250) ?? 150, scope.Number("halo", 0, 250) ?? 100);
    }
}
