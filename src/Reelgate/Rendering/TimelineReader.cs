using System.Text.Json;

namespace Reelgate.Rendering;

internal static class TimelineReader
{
    public static Timeline? Read(JsonScope scope, RenderLimits limits)
    {
        var background = ValueReaders.Color(scope, "background") ?? "#000000";
        var fonts = scope.Array("fonts", (item, path) => JsonScope.Open(item, path, scope.Errors) is { } font ? Font(font) : null) ?? [];
        var soundtrack = scope.Object("soundtrack", Soundtrack);
        var tracks = scope.Array("tracks", (item, path) => Track(item, path, scope.Errors, limits), required: true, minItems: 1);
        var cache = scope.Bool("cache") ?? true;
        if (tracks is { Count: var count } && count > limits.MaxTracks)
        {
            scope.Errors.Add(scope.PathOf("tracks"), $"must contain at most {limits.MaxTracks} tracks");
        }
        return tracks is null ? null : new Timeline(background, fonts, soundtrack, tracks, cache);
    }

    private static Font? Font(JsonScope scope)
    {
        var src = ValueReaders.Url(scope, "src", required: true);
        scope.RejectUnknown();
        return src is null ? null : new Font(src);
    }

    private static Soundtrack? Soundtrack(JsonScope scope)
    {
        var src = ValueReaders.Url(scope, "src", required: true);
        var effect = scope.Enum("effect", EditVocabulary.SoundtrackEffects);
        var volume = scope.Number("volume", 0, 1) ?? 1;
        return src is null ? null : new Soundtrack(src, effect, volume);
    }

    private static Track? Track(JsonElement element, string path, ValidationErrors errors, RenderLimits limits)
    {
        if (JsonScope.Open(element, path, errors) is not { } scope)
        {
            return null;
        }
        var clips = scope.Array("clips", (item, clipPath) => ClipReader.Read(item, clipPath, errors), required: true, minItems: 1);
        scope.RejectUnknown();
        if (clips is { Count: var count } && count > limits.MaxClipsPerTrack)
        {
            errors.Add(scope.PathOf("clips"), $"must contain at most {limits.MaxClipsPerTrack} clips");
        }
        return clips is null ? null : new Track(clips);
    }
}
