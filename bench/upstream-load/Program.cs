using System.Globalization;
using Reelgate.Bench.ProxyLoad;

namespace Reelgate.Bench.UpstreamLoad;

/// <summary>
/// Submits a burst of renders to one Reelgate process in front of a fake Shotstack whose renders take a fixed time,
/// waits until Reelgate has every one of them done, and prints how long that took, how many were in flight upstream
/// at once, and what the process spent (bench/upstream-concurrency runs it).
/// Usage: upstream-load --reelgate URL --fake URL --render-seconds S [--count 1000] [--warmup 20] [--senders 32]
///                      [--callbacks on|off] [--timeout 300] [--server-pid PID] [--server-cgroup DIR] [--postgres-pid PID]
/// Env: BENCH_API_KEY (a Reelgate key, or several separated by spaces: one per user, taken in turns).
/// Exits 0 with a report; 1 when a submit or a job failed or the jobs did not finish in time; 2 on bad usage.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (!Options.TryParse(args, out var options, out var problem))
        {
            await Console.Error.WriteLineAsync($"{problem}\nusage: upstream-load --reelgate URL --fake URL --render-seconds S [--count N] [--warmup N] " +
                "[--senders N] [--callbacks on|off] [--timeout S] [--server-pid PID] [--server-cgroup DIR] [--postgres-pid PID]");
            return 2;
        }
        var apiKeys = (Environment.GetEnvironmentVariable("BENCH_API_KEY") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (apiKeys.Length == 0)
        {
            await Console.Error.WriteLineAsync("BENCH_API_KEY must be set");
            return 2;
        }
        try
        {
            return await RunAsync(options, apiKeys);
        }
        catch (BenchFailedException ex)
        {
            await Console.Error.WriteLineAsync($"[upstream-load] FAILED: {ex.Message}");
            return 1;
        }
    }

    private static async Task<int> RunAsync(Options options, string[] apiKeys)
    {
        using var client = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
            MaxConnectionsPerServer = int.MaxValue,
        })
        { Timeout = TimeSpan.FromSeconds(60) };
        var reelgate = new ReelgateJobs(client, options.Reelgate, apiKeys);
        var fake = new FakeUpstream(client, options.Fake);

        if (options.Warmup > 0)
        {
            Log($"warming up: {options.Warmup} renders, until they are done ({options.RenderSeconds:0.#} s each upstream)");
            var warm = await Submitter.RunAsync(reelgate, "w", options.Warmup, options.Senders);
            await reelgate.WaitUntilNoneActiveAsync(options.Timeout);
            await reelgate.CheckDoneAsync(warm.Select(s => s.JobId).ToHashSet());
        }
        if (options.ServerPid is { } quietPid)
        {
            var waited = await Quiet.WaitAsync(quietPid, TimeSpan.Zero, TimeSpan.FromSeconds(90));
            Log($"Reelgate quiet after {waited:0} s");
        }

        await fake.ResetPeakAsync();
        var memory = options.ServerPid is { } pid ? new MemoryWatch(pid) : null;
        var cpu = new CpuWatch(options.ServerPid, options.ServerCgroup, options.PostgresPid);
        var clock = WallClock.Now();
        var load = LoadAverage();
        Log($"measuring: {options.Count} renders from {options.Senders} senders at once");
        var submits = await Submitter.RunAsync(reelgate, "m", options.Count, options.Senders);
        Log($"all {options.Count} accepted; waiting until Reelgate has them done");
        await reelgate.WaitUntilNoneActiveAsync(options.Timeout);
        var used = cpu.Stop();
        var rss = memory?.Stop();

        var jobs = await reelgate.CheckDoneAsync(submits.Select(s => s.JobId).ToHashSet());
        var stats = await fake.StatsAsync();
        var renders = (await fake.RendersAsync()).Where(r => r.Marker.StartsWith("m-", StringComparison.Ordinal)).ToDictionary(r => r.Marker);
        Report.Print(options, apiKeys.Length, load, clock, submits, jobs, renders, stats, used, rss);
        return 0;
    }

    internal static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    internal static void Log(string message) => Console.Error.WriteLine($"[upstream-load] {message}");
}

internal sealed class BenchFailedException(string message) : Exception(message);

internal sealed record Options(
    Uri Reelgate, Uri Fake, double RenderSeconds, int Count, int Warmup, int Senders, bool Callbacks, TimeSpan Timeout, int? ServerPid, string? ServerCgroup,
    int? PostgresPid)
{
    public static bool TryParse(string[] args, out Options options, out string problem)
    {
        options = null!;
        problem = "";
        if (args.Length % 2 != 0) { problem = $"'{args[^1]}' needs a value"; return false; }
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) { problem = $"unexpected '{args[i]}'"; return false; }
            values[args[i][2..]] = args[i + 1];
        }
        if (!values.TryGetValue("reelgate", out var reelgate) || !values.TryGetValue("fake", out var fake) || !values.TryGetValue("render-seconds", out var seconds))
        {
            problem = "--reelgate, --fake and --render-seconds are required";
            return false;
        }
        int Int(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        int? Pid(string name) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : null;
        var callbacks = values.GetValueOrDefault("callbacks", "on");
        if (callbacks is not ("on" or "off")) { problem = "--callbacks must be on or off"; return false; }
        try
        {
            options = new Options(new Uri(reelgate), new Uri(fake), double.Parse(seconds, CultureInfo.InvariantCulture), Int("count", 1000),
                Int("warmup", 20), Int("senders", 32), callbacks == "on", TimeSpan.FromSeconds(Int("timeout", 300)), Pid("server-pid"),
                values.GetValueOrDefault("server-cgroup"), Pid("postgres-pid"));
        }
        catch (FormatException ex)
        {
            problem = ex.Message;
            return false;
        }
        if (options.RenderSeconds <= 0 || options.Count < 1 || options.Warmup < 0 || options.Senders < 1)
        {
            problem = "--render-seconds must be positive, --count and --senders at least 1, --warmup not negative";
            return false;
        }
        return true;
    }
}
