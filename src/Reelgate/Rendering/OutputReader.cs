using System.Globalization;
using System.Text.Json;

namespace Reelgate.Rendering;

internal static class OutputReader
{
    public static Output? Read(JsonScope scope, RenderLimits limits)
    {
        var format = scope.Enum("format", EditVocabulary.Formats, required: true);
        var resolution = scope.Enum("resolution", EditVocabulary.Resolutions);
        var aspectRatio = scope.Enum("aspectRatio", EditVocabulary.AspectRatios) ?? "16:9";
        var size = scope.Object("size", Size);
        var fps = Fps(scope);
        var scaleTo = scope.Enum("scaleTo", EditVocabulary.Resolutions);
        var quality = scope.Enum("quality", EditVocabulary.Qualities) ?? "medium";
        var repeat = scope.Bool("repeat") ?? true;
        var mute = scope.Bool("mute") ?? false;
        var range = scope.Object("range", s => new OutputRange(s.Number("start", min: 0) ?? 0, s.Number("length", min: 0, aboveMin: true)));
        var poster = scope.Object("poster", s => new OutputPoster(s.Number("capture", min: 0, required: true) ?? 0));
        var thumbnail = scope.Object("thumbnail", s => new OutputThumbnail(
            s.Number("capture", min: 0, required: true) ?? 0, s.Number("scale", 0, 1, required: true, aboveMin: true) ?? 1));
        scope.Array("destinations", (item, path) => Destination(item, path, scope.Errors));
        if (format is null)
        {
            return null;
        }
        if (format != "mp3" && resolution is null && size is null && !scope.Has("size"))
        {
            scope.Errors.Add(scope.Path, "must include resolution or size unless format is mp3");
        }
        if (resolution is not null && size is not null)
        {
            scope.Errors.Add(scope.PathOf("size"), "cannot be combined with resolution");
        }
        var output = new Output(format, resolution, aspectRatio, size, fps, quality, range, poster, thumbnail, mute, repeat, scaleTo);
        var geometry = OutputGeometry.For(output);
        if ((long)geometry.Width * geometry.Height > limits.MaxOutputPixels
            || (long)geometry.FinalWidth * geometry.FinalHeight > limits.MaxOutputPixels)
        {
            scope.Errors.Add(scope.PathOf(size is null ? "resolution" : "size"), $"must not exceed {limits.MaxOutputPixels} pixels per frame");
        }
        return output;
    }

    private static OutputSize? Size(JsonScope scope)
    {
        var width = scope.Integer("width", min: 1, max: 4096, required: true);
        var height = scope.Integer("height", min: 1, max: 4096, required: true);
        foreach (var (name, value) in new[] { ("width", width), ("height", height) })
        {
            if (value % 2 == 1)
            {
                scope.Errors.Add(scope.PathOf(name), "must be divisible by 2");
                return null;
            }
        }
        return width is null || height is null ? null : new OutputSize(width.Value, height.Value);
    }

    private static double? Fps(JsonScope scope)
    {
        var fps = scope.Number("fps");
        if (fps is { } value && !EditVocabulary.FrameRates.Any(rate => Math.Abs(rate - value) < 0.0005))
        {
            scope.Errors.Add(scope.PathOf("fps"), $"must be one of: {string.Join(", ", EditVocabulary.FrameRates.Select(r => r.ToString(CultureInfo.InvariantCulture)))}");
            return null;
        }
        return fps;
    }

    private static string? Destination(JsonElement item, string path, ValidationErrors errors)
    {
        if (JsonScope.Open(item, path, errors) is not { } scope)
        {
            return null;
        }
        var provider = scope.Enum("provider", EditVocabulary.DestinationProviders, required: true);
        // Outputs always go to Reelgate's own store, which is where shotstack and s3 destinations point here.
        if (provider is not (null or "shotstack" or "s3"))
        {
            errors.Unsupported(scope.PathOf("provider"),
                $"'{provider}' destinations are not supported by the local renderer; outputs are kept in Reelgate's storage, where 'shotstack' and 's3' point");
        }
        scope.Bool("exclude");
        if (scope.Raw("options") is { ValueKind: not JsonValueKind.Object })
        {
            errors.Add(scope.PathOf("options"), "must be an object");
        }
        scope.RejectUnknown();
        return item.GetRawText();
    }
}
