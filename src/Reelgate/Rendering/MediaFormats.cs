using System.Collections.Frozen;
using Reelgate.Fetch;

namespace Reelgate.Rendering;

/// <summary>
/// The containers the renderer reads, by asset role, and the one ffmpeg demuxer each is opened with. Forcing the
/// demuxer from the sniffed content means a playlist or manifest (HLS, DASH, concat) can never be opened as one,
/// whatever its name says, so no input can make ffmpeg read another file.
/// </summary>
public static class MediaFormats
{
    public static readonly FrozenSet<ContentKind> Video =
        new[] { ContentKind.Mp4, ContentKind.Mov, ContentKind.Webm, ContentKind.Mkv, ContentKind.Gif }.ToFrozenSet();

    public static readonly FrozenSet<ContentKind> Image =
        new[] { ContentKind.Jpeg, ContentKind.Png, ContentKind.Webp, ContentKind.Gif }.ToFrozenSet();

    /// <summary>Sound files; MP4 and WebM carry M4A and Opus/Vorbis audio.</summary>
    public static readonly FrozenSet<ContentKind> Audio =
        new[] { ContentKind.Mp3, ContentKind.Aac, ContentKind.Wav, ContentKind.Ogg, ContentKind.Mp4, ContentKind.Mov, ContentKind.Webm }.ToFrozenSet();

    /// <summary>A luma matte is a video or a still.</summary>
    public static readonly FrozenSet<ContentKind> Luma = Video.Union(Image).ToFrozenSet();

    public static readonly FrozenSet<ContentKind> Font = new[] { ContentKind.Ttf, ContentKind.Otf }.ToFrozenSet();

    /// <summary>Caption files, read by the renderer itself and never handed to ffmpeg.</summary>
    public static readonly FrozenSet<ContentKind> Subtitles = new[] { ContentKind.Subtitles }.ToFrozenSet();

    /// <summary>The demuxer for a container ffmpeg may read, or null when it is not a medium at all.</summary>
    public static string? Demuxer(ContentKind kind) => kind switch
    {
        ContentKind.Mp4 or ContentKind.Mov => "mov",
        ContentKind.Webm or ContentKind.Mkv => "matroska",
        ContentKind.Gif => "gif",
        ContentKind.Jpeg => "jpeg_pipe",
        ContentKind.Png => "png_pipe",
        ContentKind.Webp => "webp_pipe",
        ContentKind.Mp3 => "mp3",
        ContentKind.Aac => "aac",
        ContentKind.Wav => "wav",
        ContentKind.Ogg => "ogg",
        _ => null,
    };
}
