using System.Buffers.Binary;

namespace Reelgate.Rendering;

/// <summary>
/// Reads an MP4 or MOV file's duration from its movie header (moov/mvhd) without starting ffprobe, which costs tens
/// of milliseconds of CPU per file: enough to matter when thousands of upstream outputs are copied at once.
/// </summary>
public static class Mp4Duration
{
    /// <summary>Seconds, or null when the file has no readable movie header (then ffprobe decides).</summary>
    public static double? Read(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            return FindBox(file, file.Length, "moov"u8) is { } moov && FindBox(file, moov, "mvhd"u8) is not null ? ReadMovieHeader(file) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Moves the stream to the body of the first box of <paramref name="type"/> before <paramref name="end"/>; returns the body's end.</summary>
    private static long? FindBox(Stream file, long end, ReadOnlySpan<byte> type)
    {
        Span<byte> header = stackalloc byte[16];
        while (file.Position + 8 <= end)
        {
            var start = file.Position;
            file.ReadExactly(header[..8]);
            long size = BinaryPrimitives.ReadUInt32BigEndian(header);
            var headerLength = 8;
            if (size == 1)
            {
                file.ReadExactly(header.Slice(8, 8));
                size = (long)BinaryPrimitives.ReadUInt64BigEndian(header.Slice(8, 8));
                headerLength = 16;
            }
            else if (size == 0)
            {
                size = end - start;
            }
            if (size < headerLength || start + size > end) return null;
            if (header.Slice(4, 4).SequenceEqual(type)) return start + size;
            file.Position = start + size;
        }
        return null;
    }

    private static double? ReadMovieHeader(Stream file)
    {
        Span<byte> body = stackalloc byte[32];
        file.ReadExactly(body[..4]);
        var version = body[0];
        var length = version == 1 ? 28 : 16;
        file.ReadExactly(body[..length]);
        uint timescale;
        ulong duration;
        if (version == 1)
        {
            timescale = BinaryPrimitives.ReadUInt32BigEndian(body.Slice(16, 4));
            duration = BinaryPrimitives.ReadUInt64BigEndian(body.Slice(20, 8));
        }
        else
        {
            timescale = BinaryPrimitives.ReadUInt32BigEndian(body.Slice(8, 4));
            duration = BinaryPrimitives.ReadUInt32BigEndian(body.Slice(12, 4));
        }
        return timescale == 0 || duration is 0 or uint.MaxValue or ulong.MaxValue ? null : duration / (double)timescale;
    }
}
