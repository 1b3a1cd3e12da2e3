namespace Reelgate.Fetch;

public enum ContentKind
{
    Unknown,
    Jpeg,
    Png,
    Webp,
    Gif,
    Mp4,
    Mov,
    Webm,
    Mp3,
    Wav,
    Ogg,
    Ttf,
    Otf,
    Mkv,
    Aac,
    /// <summary>SRT or WebVTT text.</summary>
    Subtitles,
}
