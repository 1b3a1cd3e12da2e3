using System.Text;
using static Reelgate.Tests.Integration.Fuzz.FuzzCategories;

namespace Reelgate.Tests.Integration.Fuzz;

/// <summary>Seeded mutations of a multipart/form-data image upload: odd fields, names and bytes, and broken framing.</summary>
internal sealed class MultipartMutator(Random random, byte[] png)
{
    private const string Boundary = "fuzz-7d1c";
    private const string Path = "/api/v1/uploads";

    public FuzzRequest Valid() => Form(Unmutated, [FilePart("file", "photo.png", "image/png", png)]);

    public FuzzRequest Mutate() => random.Next(24) switch
    {
        0 => Form(BadMultipart, [FilePart(Pick(["image", "", "FILE", "file[]", "fi\"le", "😀"]), "photo.png", "image/png", png)]),
        1 => Form(BadMultipart, [FilePart("file", Pick([new string('n', 20_000), "../../../etc/passwd", "a\u202egnp.exe", "", "C:\\x\\y.png", "\"", "photo.png\r\nX-Evil: 1"]), "image/png", png)]),
        2 => Form(BadMultipart, [Part("form-data; name=\"file\"", null, png)]),
        3 => Form(BadMultipart, [FilePart("file", "photo.png", Pick(["text/html", "", "image/svg+xml", "application/x-msdownload", "image/png; charset=\u00e9"]), png)]),
        4 => Form(BadMultipart, [FilePart("file", "empty.png", "image/png", [])]),
        5 => Form(BadMultipart, [FilePart("file", "cut.png", "image/png", png[..random.Next(1, png.Length)])]),
        6 => Form(BadMultipart, [FilePart("file", "flipped.png", "image/png", Flipped(png))]),
        7 => Form(BadMultipart, [FilePart("file", "not.png", "image/png", Pick(Impostors()))]),
        8 => Form(BadMultipart, [FilePart("file", "big.png", "image/png", [.. png, .. new byte[(10 << 20) + 1]])]),
        9 => new FuzzRequest(BadMultipart, HttpMethod.Post, Path, Without(Body([FilePart("file", "photo.png", "image/png", png)]), $"--{Boundary}--\r\n"), FormType()),
        10 => new FuzzRequest(BadMultipart, HttpMethod.Post, Path, Body([FilePart("file", "photo.png", "image/png", png)]), "multipart/form-data; boundary=other"),
        11 => new FuzzRequest(BadMultipart, HttpMethod.Post, Path, Body([FilePart("file", "photo.png", "image/png", png)]), Pick(["multipart/form-data", "multipart/form-data; boundary=", "multipart/form-data; boundary=\"\""])),
        12 => new FuzzRequest(BadMultipart, HttpMethod.Post, Path, Body([FilePart("file", "photo.png", "image/png", png)], new string('b', 100)), $"multipart/form-data; boundary={new string('b', 100)}"),
        13 => new FuzzRequest(BadMultipart, HttpMethod.Post, Path, Encoding.UTF8.GetBytes(Encoding.Latin1.GetString(Body([FilePart("file", "a.png", "image/png", "x"u8.ToArray())])).Replace("\r\n", "\n", StringComparison.Ordinal)), FormType()),
        14 => Form(BadMultipart, [Encoding.UTF8.GetBytes("Content-Disposition form-data name=file\r\n\r\nabc\r\n")]),
        15 => Form(BadMultipart, [FilePart("file", "a.png", "image/png", png), FilePart("file", "b.png", "image/png", png)]),
        16 => Form(BadMultipart, [.. Enumerable.Range(0, random.Next(2) == 0 ? 1_100 : 5).Select(i => TextPart($"f{i}", "v"))]),
        17 => Form(BadMultipart, [Part("form-data; name=\"file\"; filename=\"a.png\"", "multipart/mixed; boundary=inner", Encoding.UTF8.GetBytes("--inner\r\n\r\nx\r\n--inner--"))]),
        18 => new FuzzRequest(BadMultipart, HttpMethod.Post, Path, [.. "preamble garbage\r\n"u8, .. Body([FilePart("file", "photo.png", "image/png", png)])], FormType()),
        19 => new FuzzRequest(BadMultipart, HttpMethod.Post, Path, [], FormType()),
        20 => Form(BadMultipart, [Part("form-data; name=\"file\"; filename=\"a.png\"\r\nX-Long: " + new string('h', 20_000), "image/png", png)]),
        21 => new FuzzRequest(WrongContentType, HttpMethod.Post, Path, Body([FilePart("file", "photo.png", "image/png", png)]),
            Pick<string?>(["application/json", "text/plain", "image/png", "application/octet-stream", null])),
        22 => new FuzzRequest(WrongContentType, HttpMethod.Post, Path, Encoding.UTF8.GetBytes(Pick(UrlEncoded())), "application/x-www-form-urlencoded"),
        _ => new FuzzRequest(Truncated, HttpMethod.Post, Path, Body([FilePart("file", "photo.png", "image/png", png)])[..random.Next(1, 200)], FormType()),
    };

    private static string[] UrlEncoded() =>
    [
        "file=abc", "", "%", "file=%ZZ", string.Join("&", Enumerable.Range(0, 1_100).Select(i => $"k{i}=v")),
        new string('k', 3_000) + "=v", "file=" + new string('v', 500_000),
    ];

    private static byte[][] Impostors() =>
    [
        "GIF89a\x01\x00\x01\x00"u8.ToArray(), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"u8.ToArray(), "<html>not an image</html>"u8.ToArray(),
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], [0xFF, 0xD8, 0xFF], "RIFF\0\0\0\0WEBP"u8.ToArray(), [.. Enumerable.Range(0, 1024).Select(i => (byte)(i * 31))],
    ];

    private byte[] Flipped(byte[] bytes)
    {
        var copy = (byte[])bytes.Clone();
        for (var i = 0; i < 8; i++) copy[random.Next(copy.Length)] ^= 0xFF;
        return copy;
    }

    private static byte[] FilePart(string name, string fileName, string contentType, byte[] content) =>
        Part($"form-data; name=\"{name}\"; filename=\"{fileName}\"", contentType, content);

    private static byte[] TextPart(string name, string value) => Part($"form-data; name=\"{name}\"", null, Encoding.UTF8.GetBytes(value));

    private static byte[] Part(string disposition, string? contentType, byte[] content) =>
        [.. Encoding.UTF8.GetBytes($"Content-Disposition: {disposition}\r\n{(contentType is null ? "" : $"Content-Type: {contentType}\r\n")}\r\n"), .. content];

    private static byte[] Body(byte[][] parts, string boundary = Boundary)
    {
        var body = new List<byte>();
        foreach (var part in parts)
        {
            body.AddRange(Encoding.UTF8.GetBytes($"--{boundary}\r\n"));
            body.AddRange(part);
            body.AddRange("\r\n"u8.ToArray());
        }
        body.AddRange(Encoding.UTF8.GetBytes($"--{boundary}--\r\n"));
        return [.. body];
    }

    private static byte[] Without(byte[] body, string tail) => body[..^Encoding.UTF8.GetByteCount(tail)];

    private static string FormType() => $"multipart/form-data; boundary={Boundary}";

    private static FuzzRequest Form(string category, byte[][] parts) => new(category, HttpMethod.Post, Path, Body(parts), FormType());

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
