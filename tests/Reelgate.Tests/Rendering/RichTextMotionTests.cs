using System.Diagnostics;
using Reelgate.Fetch;
using Reelgate.Rendering;

namespace Reelgate.Tests.Rendering;

public class RichTextMotionTests
{
    private static RichTextAsset Text(string text, string preset, double? duration = null, string? style = null) =>
        new(text, 160, 90, new RichFont("DejaVu Sans", 24, 400, "#ffffff", 1), new RichStyle(0, 0, 1.2, "none", "none", null),
            null, null, null, null, RichPadding.None, "center", "middle", new RichAnimation(preset, duration, null, style));

    [Theory]
    [InlineData("typewriter")]
    [InlineData("ascend")]
    [InlineData("shift")]
    [InlineData("movingLetters")]
    public void Frames_FillTheClipExactly_AndEndOnTheWholeText(string preset)
    {
        var frames = RichTextMotion.Frames(Text("Hi there", preset, 1), 25, 3, body => body).ToList();

        Assert.Equal(75, frames.Sum(frame => frame.Count));
        Assert.DoesNotContain("visibility", frames[^1].Html, StringComparison.Ordinal);
        Assert.DoesNotContain("opacity", frames[^1].Html, StringComparison.Ordinal);
        Assert.True(frames.Count > 2, "it moves");
    }

    [Fact]
    public void Typewriter_DrawsOneFramePerLetterShown_NotOnePerOutputFrame()
    {
        var frames = RichTextMotion.Frames(Text("abcd", "typewriter", 2), 25, 4, body => body).ToList();

        // Four states (1, 2, 3, 4 letters), however many output frames each lasts.
        Assert.Equal(4, frames.Count);
        Assert.Equal([13, 12, 13, 62], frames.Select(frame => frame.Count));
    }

    [Fact]
    public void Typewriter_WithoutDuration_TypesTwentyLettersASecond_AndShowsTheWholeText()
    {
        var short_ = RichTextMotion.Frames(Text("abcdefghij", "typewriter"), 25, 4, body => body).ToList();
        var long_ = RichTextMotion.Frames(Text(new string('a', 200), "typewriter"), 25, 4, body => body).ToList();

        // Ten letters take half a second; two hundred would take ten, so they are typed over three of the clip's
        // four seconds, and the whole text stays for the last one.
        Assert.Equal(88, short_[^1].Count);
        Assert.Equal(100, long_.Sum(frame => frame.Count));
        Assert.Equal(25, long_[^1].Count);
    }

    [Fact]
    public void ALongFastAnimation_IsDrawnAtALowerRate_AtMostMaxDrawingsTimes_StillFillingTheClip()
    {
        // 5000 letters typed over 30 s at 60 fps: 1801 frames while it types, one state per letter; the finished
        // text is then held for the last 10 s, 600 frames.
        var frames = RichTextMotion.Frames(Text(new string('a', 5000), "typewriter", 30), 60, 40, body => body.Length.ToString()).ToList();

        Assert.InRange(frames.Count, 2, RichTextMotion.MaxDrawings);
        Assert.Equal(2400, frames.Sum(frame => frame.Count));
        Assert.Equal(600, frames[^1].Count);
    }

    [Fact]
    public void Units_ByLetter_KeepEachWordTogether_AndLeaveSpacesStill()
    {
        var units = RichTextMotion.Units("ab  c", byWord: false);

        Assert.Equal(["a", "b", "  ", "c"], units.Select(unit => unit.Text));
        Assert.Equal([true, false, false, true], units.Select(unit => unit.StartsWord));
        Assert.Equal([false, true, false, true], units.Select(unit => unit.EndsWord));
        Assert.False(units[2].Animated);
    }

    [Fact]
    public void Units_KeepALetterWithItsCombiningMarks()
    {
        var units = RichTextMotion.Units("e\u0301t", byWord: false);

        Assert.Equal(["e\u0301", "t"], units.Select(unit => unit.Text));
    }

    [Fact]
    public void Units_EscapeMarkupInTheText()
    {
        var frames = RichTextMotion.Frames(Text("<b>&", "shift", 0.2), 25, 1, body => body).ToList();

        Assert.DoesNotContain("<b>", frames[^1].Html, StringComparison.Ordinal);
        Assert.Contains("&lt;", frames[^1].Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnimatedPng_IsReadByFfmpegFrameForFrame_WithItsTimes()
    {
        var folder = Directory.CreateTempSubdirectory("reelgate-apng-").FullName;
        try
        {
            var red = await DrawAsync(folder, "red");
            var green = await DrawAsync(folder, "green");
            var path = Path.Combine(folder, "motion.png");
            await using (var file = File.Create(path))
            {
                AnimatedPng.Write(file, [(red, 5), (green, 20)], 25);
            }

            var header = new byte[ContentSniffer.HeaderLength];
            await using (var read = File.OpenRead(path)) await read.ReadExactlyAsync(header);
            Assert.True(ContentSniffer.IsAnimatedPng(header));
            Assert.False(ContentSniffer.IsAnimatedPng(red));
            // Decoded at 25 fps: frames 0-4 red, 5-24 green, a second in all.
            var counted = await RunAsync("-v", "error", "-f", "apng", "-i", path, "-vf", "fps=25", "-f", "framecrc", "-");
            Assert.Equal(25, counted.Split('\n').Count(line => line.StartsWith("0,", StringComparison.Ordinal)));
            Assert.Equal((255, 0, 0), Pixel(await RunRawAsync(path, 0.1)));
            Assert.Equal((0, 128, 0), Pixel(await RunRawAsync(path, 0.3)));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void AnimatedPng_RefusesDrawingsOfDifferentSizes()
    {
        var small = Convert.FromBase64String(OnePixelPng);
        var other = (byte[])small.Clone();
        other[19] = 2; // IHDR width 2

        Assert.Throws<InvalidDataException>(() => AnimatedPng.Write(new MemoryStream(), [(small, 1), (other, 1)], 25));
    }

    private const string OnePixelPng = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";

    private static async Task<byte[]> DrawAsync(string folder, string color)
    {
        var path = Path.Combine(folder, color + ".png");
        await RunAsync("-v", "error", "-f", "lavfi", "-i", $"color=c={color}:s=8x8,format=rgba", "-frames:v", "1", path);
        return await File.ReadAllBytesAsync(path);
    }

    private static (int, int, int) Pixel(byte[] rgb) => (rgb[0], rgb[1], rgb[2]);

    private static async Task<byte[]> RunRawAsync(string path, double seconds)
    {
        var start = new ProcessStartInfo("/usr/bin/ffmpeg",
            ["-v", "error", "-f", "apng", "-i", path, "-vf", $"fps=25,trim=start={seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}", "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"])
        { RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        using var bytes = new MemoryStream();
        await process.StandardOutput.BaseStream.CopyToAsync(bytes);
        await process.WaitForExitAsync();
        return bytes.ToArray();
    }

    private static async Task<string> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("/usr/bin/ffmpeg", arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, error);
        return await output;
    }
}
