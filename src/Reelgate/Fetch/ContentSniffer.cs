namespace Reelgate.Fetch;

/// <summary>Recognises media and font formats by their leading bytes.</summary>
public static class ContentSniffer
{
    /// <summary>How many leading bytes <see cref="Detect"/> looks at.</summary>
    public const int HeaderLength = 64;

    private static ReadOnlySpan<byte> JpegMagic => [0xFF, 0xD8, 0xFF];
    private static ReadOnlySpan<byte> PngMagic => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static ReadOnlySpan<byte> EbmlMagic => [0x1A, 0x45, 0xDF, 0xA3];
    private static ReadOnlySpan<byte> TrueTypeMagic => [0x00, 0x01, 0x00, 0x00];

    /// <summary>Whether a PNG is animated: its first chunk after IHDR is acTL, as the APNG format requires.</summary>
    public static bool IsAnimatedPng(ReadOnlySpan<byte> header) =>
        header.Length >= 41 && header.StartsWith(PngMagic) && header.Slice(37, 4).SequenceEqual("acTL"u8);

    public static ContentKind Detect(ReadOnlySpan<byte> header)
    {
        if (header.StartsWith(JpegMagic))
        {
            return ContentKind.Jpeg;
        }
        if (header.StartsWith(PngMagic))
        {
            return ContentKind.Png;
        }
        if (header.StartsWith("GIF87a"u8) || header.StartsWith("GIF89a"u8))
        {
            return ContentKind.Gif;
        }
        if (header.Length >= 12 && header.StartsWith("RIFF"u8))
        {
            return header.Slice(8, 4) switch
            {
                var form when form.SequenceEqual("WEBP"u8) => ContentKind.Webp,
                var form when form.SequenceEqual("WAVE"u8) => ContentKind.Wav,
                _ => ContentKind.Unknown,
            };
        }
        if (header.Length >= 12)
        {
            var isoKind = DetectIsoMedia(header);
            if (isoKind != ContentKind.Unknown)
            {
                return isoKind;
            }
        }
        if (header.StartsWith(EbmlMagic))
        {
            // Matroska shares the EBML header; only the declared doctype tells WebM apart.
            return header.IndexOf("webm"u8) >= 0 ? ContentKind.Webm
                : header.IndexOf("matroska"u8) >= 0 ? ContentKind.Mkv
                : ContentKind.Unknown;
        }
        if (header.StartsWith("OggS"u8))
        {
            return ContentKind.Ogg;
        }
        if (header.StartsWith("ID3"u8) || IsMpegAudioFrame(header))
        {
            return ContentKind.Mp3;
        }
        if (IsAdtsFrame(header))
        {
            return ContentKind.Aac;
        }
        if (header.StartsWith("OTTO"u8))
        {
            return ContentKind.Otf;
        }
        if (header.StartsWith(TrueTypeMagic) || header.StartsWith("true"u8) || header.StartsWith("ttcf"u8))
        {
            return ContentKind.Ttf;
        }
        if (Rendering.SubtitleCues.LooksLikeSubtitles(System.Text.Encoding.UTF8.GetString(header)))
        {
            return ContentKind.Subtitles;
        }
        return ContentKind.Unknown;
    }

    private static ContentKind DetectIsoMedia(ReadOnlySpan<byte> header)
    {
        var box = header.Slice(4, 4);
        if (box.SequenceEqual("ftyp"u8))
        {
            return header.Slice(8, 4).SequenceEqual("qt  "u8) ? ContentKind.Mov : ContentKind.Mp4;
        }
        // Older QuickTime files start directly with a movie, data or padding atom.
        return box.SequenceEqual("moov"u8) || box.SequenceEqual("mdat"u8) || box.SequenceEqual("wide"u8)
            ? ContentKind.Mov
            : ContentKind.Unknown;
    }

    /// <summary>An AAC frame in ADTS framing: a 12-bit sync word, layer 0, and a sampling index below the reserved ones.</summary>
    private static bool IsAdtsFrame(ReadOnlySpan<byte> header) =>
        header.Length >= 7 && header[0] == 0xFF && (header[1] & 0xF6) == 0xF0 && ((header[2] >> 2) & 0x0F) < 13;

    private static bool IsMpegAudioFrame(ReadOnlySpan<byte> header)
    {
        if (header.Length < 3 || header[0] != 0xFF || (header[1] & 0xE0) != 0xE0)
        {
            return false;
        }
        var version = (header[1] >> 3) & 0b11;
        var layer = (header[1] >> 1) & 0b11;
        var bitrate = header[2] >> 4;
        var sampleRate = (header[2] >> 2) & 0b11;
        // Layer 0 is AAC in ADTS framing, version 1 is reserved; the other fields rule out random bytes.
        return version != 0b01 && layer != 0 && bitrate != 0b1111 && sampleRate != 0b11;
    }
}
