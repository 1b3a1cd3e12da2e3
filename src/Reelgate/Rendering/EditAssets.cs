using Reelgate.Fetch;

namespace Reelgate.Rendering;

/// <summary>The URLs an Edit needs downloaded before it can be rendered.</summary>
public static class EditAssets
{
    /// <summary>Every distinct URL: clip assets (including lumas and caption files), the soundtrack and the fonts.</summary>
    public static IReadOnlyList<string> Urls(Edit edit) =>
        [.. MediaUrls(edit).Concat(CaptionUrls(edit)).Concat(edit.Timeline.Fonts.Select(font => font.Src)).Distinct(StringComparer.Ordinal)];

    private static IEnumerable<string> CaptionUrls(Edit edit) =>
        edit.Timeline.Tracks.SelectMany(track => track.Clips).Select(clip => clip.Asset).OfType<CaptionAsset>().Select(caption => caption.Src);

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

    /// <summary>The containers each URL may hold, from the roles it is used in (a URL used as video and audio may be either).</summary>
    public static IReadOnlyDictionary<string, IReadOnlySet<ContentKind>> AcceptedKinds(Edit edit)
    {
        var kinds = new Dictionary<string, HashSet<ContentKind>>(StringComparer.Ordinal);
        void Add(string url, IEnumerable<ContentKind> accepted)
        {
            if (!kinds.TryGetValue(url, out var set)) kinds[url] = set = [];
            set.UnionWith(accepted);
        }
        foreach (var clip in edit.Timeline.Tracks.SelectMany(track => track.Clips))
        {
            switch (clip.Asset)
            {
                case VideoAsset video: Add(video.Src, MediaFormats.Video); break;
                case ImageAsset image: Add(image.Src, MediaFormats.Image); break;
                case AudioAsset audio: Add(audio.Src, MediaFormats.Audio); break;
                case LumaAsset luma: Add(luma.Src, MediaFormats.Luma); break;
                case CaptionAsset caption: Add(caption.Src, MediaFormats.Subtitles); break;
            }
        }
        if (edit.Timeline.Soundtrack is { } soundtrack) Add(soundtrack.Src, MediaFormats.Audio);
        foreach (var font in edit.Timeline.Fonts) Add(font.Src, MediaFormats.Font);
        return kinds.ToDictionary(pair => pair.Key, pair => (IReadOnlySet<ContentKind>)pair.Value, StringComparer.Ordinal);
    }
}
