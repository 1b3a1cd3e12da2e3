using System.Buffers.Binary;
using System.Text;

namespace Reelgate.Rendering;

/// <summary>Reads the family and style names from the "name" table of a TrueType/OpenType file.</summary>
internal static class FontNameReader
{
    public static (string Family, string Style)? Read(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            var header = ReadExactly(stream, 12);
            var tables = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(4));
            var directory = ReadExactly(stream, tables * 16);
            for (var i = 0; i < tables; i++)
            {
                var record = directory.AsSpan(i * 16, 16);
                if (Encoding.ASCII.GetString(record[..4]) == "name")
                {
                    stream.Position = BinaryPrimitives.ReadUInt32BigEndian(record[8..]);
                    return Names(ReadExactly(stream, (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(record[12..]), 1 << 20)));
                }
            }
            return null;
        }
        catch (Exception exception) when (exception is IOException or EndOfStreamException or ArgumentOutOfRangeException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static (string Family, string Style)? Names(byte[] table)
    {
        var count = BinaryPrimitives.ReadUInt16BigEndian(table.AsSpan(2));
        var strings = BinaryPrimitives.ReadUInt16BigEndian(table.AsSpan(4));
        var found = new Dictionary<int, string>();
        for (var i = 0; i < count; i++)
        {
            var record = table.AsSpan(6 + i * 12, 12);
            var platform = BinaryPrimitives.ReadUInt16BigEndian(record);
            var nameId = BinaryPrimitives.ReadUInt16BigEndian(record[6..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(record[8..]);
            var offset = strings + BinaryPrimitives.ReadUInt16BigEndian(record[10..]);
            if (nameId is 1 or 2 or 16 or 17 && !found.ContainsKey(nameId) && offset + length <= table.Length)
            {
                var bytes = table.AsSpan(offset, length);
                found[nameId] = platform == 1 ? Encoding.Latin1.GetString(bytes) : Encoding.BigEndianUnicode.GetString(bytes);
            }
        }
        var family = found.GetValueOrDefault(16) ?? found.GetValueOrDefault(1);
        var style = found.GetValueOrDefault(17) ?? found.GetValueOrDefault(2) ?? "Regular";
        return family is null ? null : (family, style);
    }

    private static byte[] ReadExactly(Stream stream, int count)
    {
        var buffer = new byte[count];
        stream.ReadExactly(buffer);
        return buffer;
    }
}
