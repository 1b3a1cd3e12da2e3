using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace Reelgate.Rendering;

/// <summary>
/// Joins PNG drawings of one size into an animated PNG (APNG), each shown for a number of frames at a frame rate.
/// Every frame replaces the whole picture, so ffmpeg's apng demuxer reads it back frame for frame with its alpha.
/// </summary>
internal static class AnimatedPng
{
    private static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The longest a single APNG frame can last, in milliseconds; longer holds repeat the drawing.</summary>
    private const int LongestDelay = ushort.MaxValue;

    /// <exception cref="InvalidDataException">A drawing is not a PNG, or its header differs from the first one's.</exception>
    public static void Write(Stream output, IReadOnlyList<(byte[] Png, int Count)> drawings, double fps)
    {
        var parts = drawings.Select(drawing => Read(drawing.Png)).ToList();
        var header = parts[0].Header;
        if (parts.Any(part => !part.Header.AsSpan().SequenceEqual(header)))
        {
            throw new InvalidDataException("the drawings of an animation differ in size or colour type");
        }
        // Frame times are rounded from their frame numbers, so rounding never adds up along the animation.
        var frames = new List<(int Part, int Delay)>();
        var start = 0;
        for (var i = 0; i < drawings.Count; i++)
        {
            var end = start + drawings[i].Count;
            var delay = Milliseconds(end, fps) - Milliseconds(start, fps);
            for (; delay > LongestDelay; delay -= LongestDelay) frames.Add((i, LongestDelay));
            frames.Add((i, delay));
            start = end;
        }
        output.Write(Signature);
        WriteChunk(output, "IHDR", header);
        var control = new byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(control, (uint)frames.Count);
        BinaryPrimitives.WriteUInt32BigEndian(control.AsSpan(4), 1);
        WriteChunk(output, "acTL", control);
        var sequence = 0u;
        for (var f = 0; f < frames.Count; f++)
        {
            WriteChunk(output, "fcTL", FrameControl(sequence++, header, frames[f].Delay));
            foreach (var data in parts[frames[f].Part].Data)
            {
                if (f == 0)
                {
                    WriteChunk(output, "IDAT", data);
                    continue;
                }
                var fdat = new byte[data.Length + 4];
                BinaryPrimitives.WriteUInt32BigEndian(fdat, sequence++);
                data.CopyTo(fdat, 4);
                WriteChunk(output, "fdAT", fdat);
            }
        }
        WriteChunk(output, "IEND", []);
    }

    private static int Milliseconds(int frame, double fps) => (int)Math.Round(frame * 1000 / fps);

    private static byte[] FrameControl(uint sequence, byte[] header, int delay)
    {
        var control = new byte[26];
        BinaryPrimitives.WriteUInt32BigEndian(control, sequence);
        header.AsSpan(0, 8).CopyTo(control.AsSpan(4)); // width and height, as in IHDR
        BinaryPrimitives.WriteUInt16BigEndian(control.AsSpan(20), (ushort)delay);
        BinaryPrimitives.WriteUInt16BigEndian(control.AsSpan(22), 1000);
        // Offsets 0, dispose_op none, blend_op source: each frame is the whole picture.
        return control;
    }

    private sealed record Parts(byte[] Header, List<byte[]> Data);

    private static Parts Read(byte[] png)
    {
        if (png.Length < 8 || !png.AsSpan(0, 8).SequenceEqual(Signature)) throw new InvalidDataException("a drawing is not a PNG");
        byte[]? header = null;
        var data = new List<byte[]>();
        for (var at = 8; at + 12 <= png.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at));
            if (length < 0 || at + 12 + length > png.Length) throw new InvalidDataException("a drawing's PNG is cut short");
            var type = Encoding.ASCII.GetString(png, at + 4, 4);
            var body = png.AsSpan(at + 8, length).ToArray();
            if (type == "IHDR") header = body;
            else if (type == "IDAT") data.Add(body);
            at += 12 + length;
        }
        return header is { Length: 13 } && data.Count > 0 ? new Parts(header, data) : throw new InvalidDataException("a drawing's PNG has no picture");
    }

    private static void WriteChunk(Stream output, string type, ReadOnlySpan<byte> body)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(word, (uint)body.Length);
        output.Write(word);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        output.Write(typeBytes);
        output.Write(body);
        var crc = new Crc32();
        crc.Append(typeBytes);
        crc.Append(body);
        BinaryPrimitives.WriteUInt32BigEndian(word, crc.GetCurrentHashAsUInt32());
        output.Write(word);
    }
}
