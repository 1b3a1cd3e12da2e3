using System.Diagnostics;
using System.Globalization;

namespace Reelgate.Rendering;

/// <summary>
/// Wraps a tool command line so the tool runs in its own session, dies with Reelgate, stays under the memory limit,
/// and, where bubblewrap works, sees no network and no files but the system's programs and libraries and its own
/// scope: never the storage root, the fetch cache or another job's folder.
/// </summary>
internal sealed class ToolSandbox(RenderingOptions options, ILogger logger)
{
    private static readonly string[] SystemLinks = ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"];
    private static readonly string[] SystemFiles = ["/etc/ld.so.cache", "/etc/alternatives", "/etc/fonts", "/etc/localtime"];
    private readonly Lazy<bool> _isolated = new(() => CheckIsolation(options, logger));

    /// <summary>Whether runs are isolated with bubblewrap (Sandbox "auto" where it works, or "bwrap").</summary>
    public bool IsIsolated => _isolated.Value;

    public ProcessStartInfo Wrap(string executable, IReadOnlyList<string> arguments, ToolScope scope, MemoryCgroup? cgroup)
    {
        var command = new List<string>();
        if (cgroup is not null)
        {
            // The shell joins the cgroup before it becomes the tool, so nothing the tool starts escapes the limit.
            command.AddRange(["/bin/sh", "-c", "echo $$ > \"$0\" && exec \"$@\"", cgroup.ProcsFile]);
        }
        if (IsIsolated)
        {
            command.AddRange(IsolationArguments(options, executable, scope));
        }
        else
        {
            command.AddRange(["setsid", "setpriv", "--pdeathsig", "KILL", "--"]);
        }
        if (cgroup is null && options.MemoryLimitMb > 0)
        {
            command.AddRange(["prlimit", $"--as={(long)options.MemoryLimitMb * 1024 * 1024}", "--"]);
        }
        command.Add(executable);
        command.AddRange(arguments);
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = scope.WorkDirectory ?? "/",
        };
        foreach (var argument in command.Skip(1)) start.ArgumentList.Add(argument);
        start.Environment["MALLOC_ARENA_MAX"] = "2";
        return start;
    }

    private static List<string> IsolationArguments(RenderingOptions options, string executable, ToolScope scope)
    {
        List<string> args = [options.BwrapPath, "--unshare-all", "--die-with-parent", "--new-session", "--ro-bind", "/usr", "/usr"];
        foreach (var link in SystemLinks)
        {
            var info = new FileInfo(link);
            if (info.LinkTarget is { } target) args.AddRange(["--symlink", target, link]);
            else if (Directory.Exists(link)) args.AddRange(["--ro-bind", link, link]);
        }
        foreach (var file in SystemFiles) args.AddRange(["--ro-bind-try", file, file]);
        foreach (var folder in new[] { Path.GetDirectoryName(executable), options.FontDirectory }.OfType<string>())
        {
            if (!folder.StartsWith("/usr/", StringComparison.Ordinal)) args.AddRange(["--ro-bind-try", folder, folder]);
        }
        args.AddRange(["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]);
        foreach (var file in scope.ReadableFiles) args.AddRange(["--ro-bind", file, file]);
        if (scope.WorkDirectory is { } work) args.AddRange(["--bind", work, work, "--chdir", work]);
        args.Add("--");
        return args;
    }

    private static bool CheckIsolation(RenderingOptions options, ILogger logger)
    {
        if (options.Sandbox == "off")
        {
            logger.LogWarning("ffmpeg runs without a filesystem sandbox (Rendering:Sandbox is off)");
            return false;
        }
        var works = false;
        try
        {
            var start = new ProcessStartInfo(options.BwrapPath) { RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in IsolationArguments(options, "/usr/bin/true", ToolScope.None)) start.ArgumentList.Add(argument);
            start.ArgumentList.RemoveAt(0);
            start.ArgumentList.Add("/usr/bin/true");
            using var probe = Process.Start(start);
            works = probe is not null && probe.WaitForExit(10_000) && probe.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            works = false;
        }
        if (!works && options.Sandbox == "bwrap")
        {
            throw new InvalidOperationException($"Rendering:Sandbox is bwrap but {options.BwrapPath} cannot isolate a process here");
        }
        if (works) logger.LogInformation("ffmpeg runs isolated with bubblewrap");
        else logger.LogWarning("bubblewrap is not available here: ffmpeg runs without a filesystem sandbox ({Mode})",
            string.Create(CultureInfo.InvariantCulture, $"Rendering:Sandbox={options.Sandbox}"));
        return works;
    }
}
