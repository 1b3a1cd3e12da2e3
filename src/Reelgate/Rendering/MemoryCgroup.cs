namespace Reelgate.Rendering;

/// <summary>
/// A memory cgroup for one tool run, made under this process's own cgroup (v2 or v1) when it can be written, so the
/// kernel kills a render that outgrows its limit instead of the machine swapping or the whole service dying.
/// </summary>
internal sealed class MemoryCgroup : IDisposable
{
    private static readonly Lazy<string?> Parent = new(FindParent);
    private readonly string _path;
    private readonly bool _v2;

    private MemoryCgroup(string path, bool v2)
    {
        _path = path;
        _v2 = v2;
    }

    /// <summary>The file a process writes its pid to, to join.</summary>
    public string ProcsFile => Path.Combine(_path, "cgroup.procs");

    /// <summary>Null when no writable memory cgroup is available here.</summary>
    public static MemoryCgroup? TryCreate(long limitBytes)
    {
        if (Parent.Value is not { } parent) return null;
        var path = Path.Combine(parent, $"reelgate-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(path);
            var v2 = File.Exists(Path.Combine(path, "memory.max"));
            if (v2)
            {
                File.WriteAllText(Path.Combine(path, "memory.max"), limitBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
                TryWrite(Path.Combine(path, "memory.swap.max"), "0");
            }
            else
            {
                File.WriteAllText(Path.Combine(path, "memory.limit_in_bytes"), limitBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
                TryWrite(Path.Combine(path, "memory.memsw.limit_in_bytes"), limitBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            return new MemoryCgroup(path, v2);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryRemove(path);
            return null;
        }
    }

    /// <summary>Whether the kernel killed a process of this group for exceeding the limit.</summary>
    public bool WasOutOfMemory()
    {
        var file = Path.Combine(_path, _v2 ? "memory.events" : "memory.oom_control");
        try
        {
            return File.ReadLines(file).Select(line => line.Split(' '))
                .Any(parts => parts.Length == 2 && parts[0] == "oom_kill" && parts[1] != "0");
        }
        catch (IOException)
        {
            return false;
        }
    }

    public void Dispose() => TryRemove(_path);

    private static string? FindParent()
    {
        try
        {
            var lines = File.ReadAllLines("/proc/self/cgroup");
            var v1 = lines.Select(line => line.Split(':', 3)).FirstOrDefault(parts => parts.Length == 3 && parts[1].Split(',').Contains("memory"));
            var candidates = new List<string>();
            if (v1 is not null) candidates.Add("/sys/fs/cgroup/memory" + v1[2]);
            if (lines.FirstOrDefault(line => line.StartsWith("0::", StringComparison.Ordinal)) is { } unified) candidates.Add("/sys/fs/cgroup" + unified[3..]);
            return candidates.FirstOrDefault(CanHoldChildren);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static bool CanHoldChildren(string parent)
    {
        var probe = Path.Combine(parent, $"reelgate-probe-{Environment.ProcessId}");
        try
        {
            Directory.CreateDirectory(probe);
            return File.Exists(Path.Combine(probe, "memory.max")) || File.Exists(Path.Combine(probe, "memory.limit_in_bytes"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        finally
        {
            TryRemove(probe);
        }
    }

    private static void TryWrite(string file, string value)
    {
        try { File.WriteAllText(file, value); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return; }
    }

    private static void TryRemove(string path)
    {
        // A cgroup directory is removed with rmdir only; its files are the kernel's.
        try { Directory.Delete(path, recursive: false); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DirectoryNotFoundException) { return; }
    }
}
