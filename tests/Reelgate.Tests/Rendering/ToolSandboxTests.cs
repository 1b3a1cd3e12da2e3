using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Reelgate.Rendering;

namespace Reelgate.Tests.Rendering;

/// <summary>How every ffmpeg and ffprobe run is confined: its inputs, its view of the disk, its memory, its time.</summary>
public sealed class ToolSandboxTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "reelgate-sandbox-" + Guid.NewGuid().ToString("N"));
    private readonly string _work;
    private readonly string _outside;

    public ToolSandboxTests()
    {
        _work = Path.Combine(_root, "job-1");
        _outside = Path.Combine(_root, "storage", "user_other");
        Directory.CreateDirectory(_work);
        Directory.CreateDirectory(_outside);
        Ffmpeg($"-f lavfi -i testsrc=s=64x36:r=10:d=1 -c:v libx264 -preset ultrafast {Path.Combine(_outside, "video.mp4")}");
        File.Copy(Path.Combine(_outside, "video.mp4"), Path.Combine(_work, "asset-0"));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static ToolRunner Runner(int memoryLimitMb = 3072) =>
        new(Options.Create(new RenderingOptions { MemoryLimitMb = memoryLimitMb }), NullLogger<ToolRunner>.Instance);

    [Fact]
    public void Pin_OpensEachInputWithItsSniffedDemuxer_AndTheFileProtocolOnly()
    {
        var pinned = ToolInputs.Pin(["-y", "-t", "1", "-i", Path.Combine(_work, "asset-0"), "out.mp4"], ToolScope.Folder(_work));

        Assert.Equal(["-y", "-t", "1", "-f", "mov", "-format_whitelist", "mov", "-protocol_whitelist", "file", "-i", "file:" + Path.Combine(_work, "asset-0"), "out.mp4"], pinned);
    }

    [Fact]
    public void Pin_LeavesGeneratedInputsAlone()
    {
        string[] arguments = ["-f", "lavfi", "-i", "color=c=red:s=16x16", "out.png"];

        Assert.Equal(arguments, ToolInputs.Pin(arguments, ToolScope.Folder(_work)));
    }

    [Theory]
    [InlineData("#EXTM3U\n#EXTINF:1,\nfile://{0}\n#EXT-X-ENDLIST\n")]
    [InlineData("ffconcat version 1.0\nfile '{0}'\n")]
    [InlineData("<?xml version=\"1.0\"?><MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\"><Period><AdaptationSet><Representation><BaseURL>file://{0}</BaseURL></Representation></AdaptationSet></Period></MPD>")]
    public async Task Run_PlaylistInTheWorkFolder_IsRefusedBeforeFfmpegOpensIt(string manifest)
    {
        var input = Path.Combine(_work, "clip.mp4");
        await File.WriteAllTextAsync(input, string.Format(CultureInfo.InvariantCulture, manifest, Path.Combine(_outside, "video.mp4")));

        var error = await Assert.ThrowsAsync<RenderFailedException>(() =>
            Runner().RunAsync("/usr/bin/ffmpeg", ["-y", "-i", input, Path.Combine(_work, "out.mp4")], ToolScope.Folder(_work), _ => { }, CancellationToken.None));

        Assert.Equal(RenderFailedException.UnsupportedMedia, error.Code);
        Assert.False(File.Exists(Path.Combine(_work, "out.mp4")));
    }

    [Fact]
    public async Task Run_InputOutsideTheWorkFolder_IsRefused()
    {
        var error = await Assert.ThrowsAsync<RenderFailedException>(() => Runner().RunAsync("/usr/bin/ffmpeg",
            ["-y", "-i", Path.Combine(_work, "..", "storage", "user_other", "video.mp4"), Path.Combine(_work, "out.mp4")],
            ToolScope.Folder(_work), _ => { }, CancellationToken.None));

        Assert.Equal(RenderFailedException.UnsupportedMedia, error.Code);
    }

    [Fact]
    public async Task Run_FfmpegSeesOnlyItsWorkFolder_NotTheStorageBesideIt()
    {
        var runner = Runner();
        Assert.True(runner.IsIsolated, "bubblewrap should isolate ffmpeg on this machine (./test installs it)");
        string[] Reading(string path) => ["-y", "-filter_complex", $"movie={path}", "-frames:v", "1", Path.Combine(_work, "frame.png")];

        await runner.RunAsync("/usr/bin/ffmpeg", Reading(Path.Combine(_work, "asset-0")), ToolScope.Folder(_work), _ => { }, CancellationToken.None);
        var error = await Assert.ThrowsAsync<RenderFailedException>(() =>
            runner.RunAsync("/usr/bin/ffmpeg", Reading(Path.Combine(_outside, "video.mp4")), ToolScope.Folder(_work), _ => { }, CancellationToken.None));

        Assert.Contains(error.StderrTail, line => line.Contains("No such file", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_PastTheMemoryLimit_FailsAsOutOfMemory()
    {
        var error = await Assert.ThrowsAsync<RenderFailedException>(() => Runner(memoryLimitMb: 120).RunAsync("/usr/bin/ffmpeg",
            ["-y", "-f", "lavfi", "-i", "testsrc2=s=3840x2160:d=3", "-filter_complex", "split=8[a][b][c][d][e][f][g][h];[a][b][c][d][e][f][g][h]hstack=8",
             "-t", "2", Path.Combine(_work, "big.mp4")],
            ToolScope.Folder(_work), _ => { }, CancellationToken.None));

        Assert.Equal(RenderFailedException.OutOfMemory, error.Code);
        Assert.Contains("120 MB", error.Message);
    }

    [Fact]
    public async Task Run_FfmpegLeadsItsOwnSession_AndCancelKillsIt()
    {
        var marker = Path.Combine(_work, $"marker-{Guid.NewGuid():N}.mp4");
        using var cancel = new CancellationTokenSource();
        var run = Runner().RunAsync("/usr/bin/ffmpeg", ["-y", "-re", "-f", "lavfi", "-i", "testsrc=s=64x36:d=60", marker],
            ToolScope.Folder(_work), _ => { }, cancel.Token);

        var pid = await FindAsync(marker);
        Assert.NotEqual(SessionOf(Environment.ProcessId), SessionOf(pid));
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        Assert.False(File.Exists($"/proc/{pid}/cmdline") && File.ReadAllText($"/proc/{pid}/cmdline").Contains(marker, StringComparison.Ordinal));
    }

    private static async Task<int> FindAsync(string marker)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
                try
                {
                    var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
                    if (cmdline.Length > 0 && Path.GetFileName(cmdline[0]) == "ffmpeg" && cmdline.Contains(marker)) return pid;
                }
                catch (IOException)
                {
                    // The process ended while being read.
                }
            }
            await Task.Delay(50);
        }
        throw new TimeoutException("ffmpeg did not start");
    }

    private static int SessionOf(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[3], CultureInfo.InvariantCulture);
    }

    private static void Ffmpeg(string arguments)
    {
        using var ffmpeg = Process.Start(new ProcessStartInfo("ffmpeg", "-v error -y " + arguments) { UseShellExecute = false })!;
        ffmpeg.WaitForExit();
    }
}
