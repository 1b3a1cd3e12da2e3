using System.Diagnostics;

namespace Reelgate.Tests.Cli;

/// <summary>The progress bar on a real terminal: the CLI runs inside a tmux pane on a private tmux server.</summary>
public sealed class CliTerminalTests(CliServer server) : IClassFixture<CliServer>
{
    [Fact]
    public async Task Render_OnATerminal_DrawsPhaseBarsAndEndsDone()
    {
        var cli = Cli.InNewHome();
        var login = await cli.RunAsync("login", "--url", server.BaseUrl, "--key", await server.FundedKeyAsync(20));
        Assert.Equal(0, login.ExitCode);
        File.WriteAllText(Path.Combine(cli.Home, "edit.json"), CliTests.Edit.Replace("\"length\": 2", "\"length\": 30"));
        var socket = $"reelgate-test-{Guid.NewGuid():N}";
        var command = $"cd {cli.Home} && HOME={cli.Home} dotnet {Cli.DllPath} render edit.json --out video.mp4; echo EXIT=$?; sleep 120";
        await TmuxAsync(socket, "new-session", "-d", "-s", "cli", "-x", "140", "-y", "30", command);
        try
        {
            var screens = new List<string>();
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(90))
            {
                var screen = await TmuxAsync(socket, "capture-pane", "-p", "-t", "cli");
                screens.Add(screen);
                if (screen.Contains("EXIT=")) break;
                await Task.Delay(150);
            }
            var last = screens[^1];
            Assert.Contains("EXIT=0", last);
            Assert.Contains(screens, s => s.Contains("Rendering") && s.Contains('━') && s.Contains('%'));
            Assert.Contains("Download video.mp4", last);
            Assert.Contains("100%", last);
            Assert.True(File.Exists(Path.Combine(cli.Home, "video.mp4")));
        }
        finally
        {
            await TmuxAsync(socket, "kill-server");
        }
    }

    private static async Task<string> TmuxAsync(string socket, params string[] args)
    {
        var info = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-L");
        info.ArgumentList.Add(socket);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["TERM"] = "xterm-256color";
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output;
    }
}
