using System.Diagnostics;

namespace Reelgate.Tests.Providers;

/// <summary>Tiny media files made once per test run with ffmpeg.</summary>
internal static class TestMedia
{
    private static readonly Lazy<Task<string>> Video = new(() => MakeAsync("clip.mp4",
        "-f lavfi -i color=c=blue:s=64x36:r=12:d=1 -c:v libx264 -preset ultrafast -pix_fmt yuv420p"));

    private static readonly Lazy<Task<string>> Image = new(() => MakeAsync("still.png", "-f lavfi -i color=c=red:s=64x48 -frames:v 1"));

    private static readonly Lazy<Task<string>> Audio = new(() => MakeAsync("tone.mp3", "-f lavfi -i sine=f=440:d=1 -c:a libmp3lame"));

    public static Task<string> VideoAsync() => Video.Value;

    public static Task<string> AudioAsync() => Audio.Value;

    public static Task<string> ImageAsync() => Image.Value;

    private static async Task<string> MakeAsync(string name, string arguments)
    {
        var directory = Path.Combine(Path.GetTempPath(), "reelgate-test-media", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name);
        using var ffmpeg = Process.Start("ffmpeg", $"-v error -y {arguments} {path}");
        await ffmpeg.WaitForExitAsync();
        if (ffmpeg.ExitCode != 0) throw new InvalidOperationException($"ffmpeg could not make {name}");
        return path;
    }
}
