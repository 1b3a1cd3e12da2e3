using System.Diagnostics;

namespace Reelgate.Tests.Cli;

public sealed record CliResult(int ExitCode, string Stdout, string Stderr);

/// <summary>Runs the built CLI as a process, with its own home folder so its saved login is the test's alone.</summary>
public sealed class Cli(string home)
{
    public string Home { get; } = home;

    public static string DllPath => Path.Combine(RepositoryRoot(), "src", "Reelgate.Cli", "bin", "Release", "net10.0", "reelgate.dll");

    public static Cli InNewHome() => new(Directory.CreateTempSubdirectory("reelgate-cli-").FullName);

    public async Task<CliResult> RunAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        info.ArgumentList.Add(DllPath);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["HOME"] = Home;
        info.Environment.Remove("XDG_CONFIG_HOME");
        info.Environment.Remove("REELGATE_URL");
        info.Environment.Remove("REELGATE_API_KEY");
        info.WorkingDirectory = Home;
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Reelgate.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Run the tests from inside the repository.");
    }
}
