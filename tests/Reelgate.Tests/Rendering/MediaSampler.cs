using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Reelgate.Tests.Rendering;

/// <summary>Reads pixels and audio levels back out of rendered files with ffmpeg.</summary>
internal static partial class MediaSampler
{
    public static (int R, int G, int B) Pixel(string path, double seconds, int x, int y)
    {
        var (bytes, width) = Frame(path, seconds);
        var at = (y * width + x) * 3;
        return (bytes[at], bytes[at + 1], bytes[at + 2]);
    }

    /// <summary>One frame as RGB24 bytes, row by row, and its width.</summary>
    public static (byte[] Bytes, int Width) Rgb(string path, double seconds) => Frame(path, seconds);

    public static int MaxBrightness(string path, double seconds)
    {
        var (bytes, _) = Frame(path, seconds);
        return bytes.Max();
    }

    /// <summary>Mean volume in dBFS of a stretch of the file's audio.</summary>
    public static double MeanVolume(string path, double start, double duration)
    {
        var (_, stderr) = Run(["-hide_banner", "-ss", Num(start), "-t", Num(duration), "-i", path, "-af", "volumedetect", "-f", "null", "-"]);
        var match = MeanVolumePattern().Match(stderr);
        Assert.True(match.Success, stderr);
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>The codec of each stream, in stream order.</summary>
    public static async Task<string[]> CodecsAsync(string path)
    {
        var probe = Process.Start(new ProcessStartInfo("/usr/bin/ffprobe",
            ["-v", "error", "-show_entries", "stream=codec_name", "-of", "csv=p=0", path]) { RedirectStandardOutput = true })!;
        var text = await probe.StandardOutput.ReadToEndAsync();
        await probe.WaitForExitAsync();
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    private static (byte[] Bytes, int Width) Frame(string path, double seconds)
    {
        var (bytes, stderr) = Run(["-v", "error", "-ss", Num(seconds), "-i", path, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"], binary: true);
        var probe = Process.Start(new ProcessStartInfo("/usr/bin/ffprobe",
            ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width", "-of", "csv=p=0", path]) { RedirectStandardOutput = true })!;
        var width = int.Parse(probe.StandardOutput.ReadToEnd().Trim(), CultureInfo.InvariantCulture);
        probe.WaitForExit();
        Assert.True(bytes.Length > 0, stderr);
        return (bytes, width);
    }

    private static (byte[] Stdout, string Stderr) Run(string[] arguments, bool binary = false)
    {
        var start = new ProcessStartInfo("/usr/bin/ffmpeg", arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var buffer = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(buffer);
        process.WaitForExit();
        return (binary ? buffer.ToArray() : [], stderr.Result);
    }

    private static string Num(double value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"mean_volume: (-?[0-9.]+) dB")]
    private static partial Regex MeanVolumePattern();
}
