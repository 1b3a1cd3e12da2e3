namespace Reelgate.Rendering;

/// <summary>The URLs an Edit needs downloaded before it can be rendered.</summary>
public static class EditAssets
{
    /// <summary>Every distinct URL: clip assets (including lumas), the soundtrack and the fonts.</summary>
    public static IReadOnlyList<string> Urls(Edit edit) =>
        [.. MediaUrls(edit).Concat(edit.Timeline.Fonts.Select(font => font.Src)).Distinct(StringComparer.Ordinal)];

    /// <summary>The URLs of media files, which ffprobe can read; fonts are left out.</summary>
    public static IReadOnlyList<string> MediaUrls(Edit edit)
    {
        var sources = edit.Timeline.Tracks
            .SelectMany(track => track.Clips)
            .Select(clip => clip.Asset switch
            {
                VideoAsset video => video.Src,
                ImageAsset image => image.Src,
                AudioAsset audio => audio.Src,
                LumaAsset luma => luma.Src,
                _ => null,
            })
            .OfType<string>();
        if (edit.Timeline.Soundtrack is { } soundtrack)
        {
            sources = sources.Append(soundtrack.Src);
        }
        return [.. sources.Distinct(StringComparer.Ordinal)];
    }
}
