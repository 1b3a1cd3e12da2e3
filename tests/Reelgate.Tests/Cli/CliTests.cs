using System.Diagnostics;
using System.Text.Json;

namespace Reelgate.Tests.Cli;

/// <summary>The CLI run as a process against a running Reelgate, as a user or a script would.</summary>
public sealed partial class CliTests(CliServer server) : IClassFixture<CliServer>
{
    public const string Edit = """
        {"timeline": {"background": "#203040", "tracks": [{"clips": [{"asset": {"type": "title", "text": "CLI", "style": "minimal"}, "start": 0, "length": 2}]}]},
         "output": {"format": "mp4", "size": {"width": 160, "height": 90}, "fps": 12}}
        """;

    private async Task<Cli> SignedInAsync(decimal credits = 20)
    {
        var cli = Cli.InNewHome();
        var login = await cli.RunAsync("login", "--url", server.BaseUrl, "--key", await server.FundedKeyAsync(credits));
        Assert.True(login.ExitCode == 0, login.Stderr);
        return cli;
    }

    [Fact]
    public async Task Login_SavesTheKeyReadableByItsOwnerOnly_AndCreditsShowsTheBalance()
    {
        var cli = await SignedInAsync(credits: 12.5m);

        var config = Path.Combine(cli.Home, ".config", "reelgate", "config.json");
        Assert.False(OperatingSystem.IsWindows());
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(config));
        Assert.StartsWith("rg_", JsonDocument.Parse(File.ReadAllText(config)).RootElement.GetProperty("key").GetString());
        var credits = await cli.RunAsync("credits");
        Assert.Equal(0, credits.ExitCode);
        Assert.Contains("Available 12.50", credits.Stdout);
    }

    [Fact]
    public async Task Login_WithAWrongKey_PrintsTheProblemTitle_Exits1_AndSavesNothing()
    {
        var cli = Cli.InNewHome();

        var login = await cli.RunAsync("login", "--url", server.BaseUrl, "--key", "rg_live_00000000000000000000000000000000");

        Assert.Equal(1, login.ExitCode);
        Assert.Contains("(401)", login.Stderr);
        Assert.False(File.Exists(Path.Combine(cli.Home, ".config", "reelgate", "config.json")));
    }

    [Fact]
    public async Task AnyCommand_WhenReelgateIsUnreachable_Exits2()
    {
        var cli = await SignedInAsync();
        var config = Path.Combine(cli.Home, ".config", "reelgate", "config.json");
        var saved = JsonDocument.Parse(File.ReadAllText(config)).RootElement;
        File.WriteAllText(config, JsonSerializer.Serialize(new { url = $"http://127.0.0.1:{Support.ReelgateProcess.FreePort()}", key = saved.GetProperty("key").GetString() }));

        var result = await cli.RunAsync("jobs");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Could not reach Reelgate", result.Stderr);
    }

    [Fact]
    public async Task Render_WithWaitAndOut_SavesThePlayableVideo_WithoutAnimationWhenNotATerminal()
    {
        var cli = await SignedInAsync();
        File.WriteAllText(Path.Combine(cli.Home, "edit.json"), Edit);

        var result = await cli.RunAsync("render", "edit.json", "--wait", "--out", "video.mp4");

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.Contains(" done ", result.Stdout);
        Assert.DoesNotContain("\u001b[", result.Stdout + result.Stderr);
        Assert.Contains(": rendering", result.Stderr);
        var video = await File.ReadAllBytesAsync(Path.Combine(cli.Home, "video.mp4"));
        Assert.Equal("ftyp", System.Text.Encoding.ASCII.GetString(video, 4, 4));
        Assert.Equal(2.0, await ProbeSecondsAsync(Path.Combine(cli.Home, "video.mp4")), 1);
    }

    [Fact]
    public async Task Render_AnInvalidEdit_PrintsTitleAndFieldErrors_AndExits1()
    {
        var cli = await SignedInAsync();
        File.WriteAllText(Path.Combine(cli.Home, "bad.json"), """{"timeline": {"tracks": []}, "output": {"format": "mp4"}}""");

        var result = await cli.RunAsync("render", "bad.json", "--wait");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("The request is invalid.", result.Stderr);
        Assert.Contains("timeline.tracks", result.Stderr);
    }

    [Fact]
    public async Task JsonMode_PrintsRawJsonForScripts_AndJobsJobDownloadCancelWork()
    {
        var cli = await SignedInAsync();
        File.WriteAllText(Path.Combine(cli.Home, "edit.json"), Edit);

        var queued = await cli.RunAsync("--json", "render", "edit.json");
        Assert.True(queued.ExitCode == 0, queued.Stderr);
        var id = JsonDocument.Parse(queued.Stdout).RootElement.GetProperty("id").GetString()!;

        var watched = await cli.RunAsync("job", id, "--watch", "--json");
        Assert.True(watched.ExitCode == 0, watched.Stderr);
        Assert.Equal("done", JsonDocument.Parse(watched.Stdout).RootElement.GetProperty("status").GetString());

        var list = await cli.RunAsync("jobs", "--status", "done", "--json");
        Assert.Contains(id, JsonDocument.Parse(list.Stdout).RootElement.GetProperty("data").EnumerateArray().Select(j => j.GetProperty("id").GetString()));
        var table = await cli.RunAsync("jobs");
        Assert.Contains(id, table.Stdout);

        var download = await cli.RunAsync("download", id, "--out", "again.mp4");
        Assert.True(download.ExitCode == 0, download.Stderr);
        Assert.True(new FileInfo(Path.Combine(cli.Home, "again.mp4")).Length > 1000);

        var cancel = await cli.RunAsync("cancel", id);
        Assert.Equal(1, cancel.ExitCode);
        Assert.Contains("Job already finished.", cancel.Stderr);
    }

    [Fact]
    public async Task Generate_FromAnImageFile_UploadsItAndWaitsForTheClip()
    {
        var cli = await SignedInAsync();
        var image = Path.Combine(cli.Home, "still.png");
        await RunAsync("ffmpeg", $"-v error -f lavfi -i color=c=orange:s=320x180 -frames:v 1 {image}");

        var result = await cli.RunAsync("generate", "--prompt", "a slow pan", "--image", image, "--duration", "5", "--wait", "--json");

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        var job = JsonDocument.Parse(result.Stdout).RootElement;
        Assert.Equal("generation", job.GetProperty("kind").GetString());
        Assert.Equal("done", job.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Generate_WithADurationOutsideTheChoices_IsRefusedBeforeAnyRequest()
    {
        var cli = await SignedInAsync();

        var result = await cli.RunAsync("generate", "--prompt", "x", "--duration", "7");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("7", result.Stderr + result.Stdout);
    }

    private static async Task<double> ProbeSecondsAsync(string path) =>
        double.Parse((await RunAsync("ffprobe", $"-v error -show_entries format=duration -of csv=p=0 {path}")).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<string> RunAsync(string program, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, UseShellExecute = false })!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
        return output;
    }
}
