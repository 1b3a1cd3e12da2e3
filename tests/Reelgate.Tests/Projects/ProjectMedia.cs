using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Reelgate.Tests.Projects;

/// <summary>Media for project tests, made with ffmpeg, and the measurements the tests take of a final video.</summary>
internal static partial class ProjectMedia
{
    public static Task<string> ColorVideoAsync(string color, double seconds) =>
        MakeAsync($"{color}-{seconds}.mp4", $"-f lavfi -i color=c={color}:s=64x36:r=12:d={Num(seconds)} -c:v libx264 -preset ultrafast -pix_fmt yuv420p");

    public static Task<string> ColorImageAsync(string color) => MakeAsync($"{color}.png", $"-f lavfi -i color=c={color}:s=64x48 -frames:v 1");

    /// <summary>A 440 Hz tone; the extension picks the format (mp3, m4a, wav).</summary>
    public static Task<string> ToneAsync(double seconds, string extension) =>
        MakeAsync($"tone-{seconds}.{extension}", $"-f lavfi -i sine=f=440:d={Num(seconds)}" + extension switch
        {
            "mp3" => " -c:a libmp3lame",
            "m4a" => " -c:a aac",
            _ => " -c:a pcm_s16le",
        });

    public static async Task<double> DurationAsync(string path, string stream = "format")
    {
        var query = stream == "format" ? "-show_entries format=duration" : $"-select_streams {stream} -show_entries stream=duration";
        var output = await RunAsync("ffprobe", $"-v error {query} -of csv=p=0 {path}");
        return double.Parse(output.Trim().Split('\n')[0], CultureInfo.InvariantCulture);
    }

    /// <summary>The average colour of the frame at <paramref name="seconds"/>, as R, G, B.</summary>
    public static async Task<(int R, int G, int B)> ColorAtAsync(string path, double seconds)
    {
        var frame = Path.Combine(Path.GetTempPath(), $"reelgate-frame-{Guid.NewGuid():N}.rgb");
        await RunAsync("ffmpeg", $"-v error -ss {Num(seconds)} -i {path} -frames:v 1 -vf scale=1:1 -f rawvideo -pix_fmt rgb24 -y {frame}");
        var rgb = await File.ReadAllBytesAsync(frame);
        File.Delete(frame);
        return (rgb[0], rgb[1], rgb[2]);
    }

    public static string Dominant((int R, int G, int B) c) =>
        c.R > 150 && c.G < 90 && c.B < 90 ? "red" : c.G > 90 && c.R < 90 && c.B < 90 ? "green" : c.B > 150 && c.R < 90 && c.G < 90 ? "blue" : $"rgb({c.R},{c.G},{c.B})";

    /// <summary>The mean volume in dB of the audio between two times.</summary>
    public static async Task<double> MeanVolumeAsync(string path, double from, double length)
    {
        var output = await RunAsync("ffmpeg", $"-v info -ss {Num(from)} -t {Num(length)} -i {path} -vn -af volumedetect -f null -", stderr: true);
        return double.Parse(MeanVolume().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"mean_volume: (-?[\d.]+) dB")]
    private static partial Regex MeanVolume();

    private static string Num(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static async Task<string> MakeAsync(string name, string arguments)
    {
        var directory = Path.Combine(Path.GetTempPath(), "reelgate-project-media", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name);
        await RunAsync("ffmpeg", $"-v error -y {arguments} {path}");
        return path;
    }

    private static async Task<string> RunAsync(string program, string arguments, bool stderr = false)
    {
        var info = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} {arguments} failed: {await errors}");
        return stderr ? await errors : await output;
    }
}
