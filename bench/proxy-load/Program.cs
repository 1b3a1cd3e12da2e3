using System.Globalization;
using System.Net.Http.Headers;

namespace Reelgate.Bench.ProxyLoad;

/// <summary>
/// Submits the same renders to a fake Shotstack directly and through Reelgate at a fixed rate, collects when the fake
/// received each of them, and prints the latencies (bench/proxy-overhead runs it).
/// Usage: proxy-load --reelgate URL --fake URL [--count 2000] [--rate 200] [--warmup 200] [--forward-timeout 120]
///                   [--server-pid PID] [--postgres-pid PID]
/// Env: BENCH_API_KEY (a Reelgate key, or several separated by spaces: one per user, taken in turns), FAKE_SHOTSTACK_KEY (the fake's x-api-key).
/// Exits 0 with a report; 1 when a request failed or a forwarded render never reached the fake; 2 on bad usage.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (!Options.TryParse(args, out var options, out var problem))
        {
            await Console.Error.WriteLineAsync($"{problem}\nusage: proxy-load --reelgate URL --fake URL [--count N] [--rate R] [--warmup N] [--forward-timeout S] [--server-pid PID] [--postgres-pid PID]");
            return 2;
        }
        if (!Clock.IsUsable)
        {
            await Console.Error.WriteLineAsync("needs Linux, where Stopwatch reads CLOCK_MONOTONIC in nanoseconds");
            return 2;
        }
        var apiKeys = (Environment.GetEnvironmentVariable("BENCH_API_KEY") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var fakeKey = Environment.GetEnvironmentVariable("FAKE_SHOTSTACK_KEY") ?? "";
        if (apiKeys.Length == 0 || fakeKey.Length == 0)
        {
            await Console.Error.WriteLineAsync("BENCH_API_KEY and FAKE_SHOTSTACK_KEY must be set");
            return 2;
        }

        try
        {
            return await RunAsync(options, apiKeys, fakeKey);
        }
        catch (BenchFailedException ex)
        {
            await Console.Error.WriteLineAsync($"[proxy-load] FAILED: {ex.Message}");
            return 1;
        }
    }

    private static async Task<int> RunAsync(Options options, string[] apiKeys, string fakeKey)
    {
        var turn = -1;
        using var fakeClient = NewClient();
        using var reelgateClient = NewClient();
        var direct = new Target("direct", fakeClient, new Uri(options.Fake, "/edit/v1/render"), 201, r => r.Headers.Add("x-api-key", fakeKey));
        var proxied = new Target("reelgate", reelgateClient, new Uri(options.Reelgate, "/api/v1/render?provider=shotstack"), 202,
            r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKeys[(int)((uint)Interlocked.Increment(ref turn) % apiKeys.Length)]));
        var arrivals = new Arrivals(fakeClient, new Uri(options.Fake, "/bench/arrivals"));

        Log($"warming up direct: {options.Warmup} requests at {options.Rate} req/s");
        Check(await OpenLoop.RunAsync(direct, "dw", options.Warmup, options.Rate), direct);
        await WarmUpReelgateAsync(options, proxied, arrivals);

        var watch = new Watch(options);
        Log($"measuring direct: {options.Count} requests at {options.Rate} req/s");
        var directSamples = Check(await OpenLoop.RunAsync(direct, "d", options.Count, options.Rate), direct);
        var directCpu = watch.Next();
        Log($"measuring through Reelgate: {options.Count} requests at {options.Rate} req/s");
        var proxiedSamples = Check(await OpenLoop.RunAsync(proxied, "r", options.Count, options.Rate), proxied);
        var proxiedCpu = watch.Next();
        Log("waiting for the forwarded renders to reach the fake");
        var received = await arrivals.WaitForAsync("r", options.Count, options.ForwardTimeout);
        var forwardedCpu = proxiedCpu.Then(watch.Next());

        Report.Print(options, apiKeys.Length, directSamples, proxiedSamples, received, directCpu, proxiedCpu, forwardedCpu);
        return 0;
    }

    /// <summary>
    /// Warm-up rounds through Reelgate until its CPU per render stops falling (by under 5%), two at least and five at
    /// most, each followed by a wait until it is quiet. One round is not enough: the runtime promotes a hot method in
    /// steps (tier 0, an instrumented tier, then tier 1), each after the method has been called again once the last
    /// burst of compiling has settled, so a single round leaves much of the submit path to be compiled during the measured
    /// run, where profiling found the JIT thread taking a third of the server's CPU. Each round's renders are failed at the
    /// fake once they reached it, so the measured run carries no status reads of renders submitted before it.
    /// </summary>
    private static async Task WarmUpReelgateAsync(Options options, Target proxied, Arrivals arrivals)
    {
        const int MinRounds = 2, MaxRounds = 5;
        double? previous = null;
        for (var round = 1; round <= MaxRounds; round++)
        {
            var phase = $"rw{round}";
            var watch = new Watch(options);
            Check(await OpenLoop.RunAsync(proxied, phase, options.Warmup, options.Rate), proxied);
            await arrivals.WaitForAsync(phase, options.Warmup, options.ForwardTimeout);
            var perRender = watch.Next().ServerCpuSeconds * 1000 / options.Warmup;
            // The round's renders are failed upstream: their callbacks, status reads and failures belong to the warm-up too.
            var ended = await arrivals.FailAsync(phase);
            if (options.ServerPid is not { } pid)
            {
                Log($"warm-up round {round} through Reelgate: {options.Warmup} requests, {ended} renders failed at the fake");
                return;
            }
            var waited = await Quiet.WaitAsync(pid, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(90));
            Log($"warm-up round {round} through Reelgate: {perRender:0.00} ms of its CPU per render; {ended} renders failed at the fake, quiet after {waited:0} s");
            if (round >= MinRounds && perRender >= previous * 0.95) return;
            previous = perRender;
        }
    }

    private static HttpClient NewClient() => new(new SocketsHttpHandler
    {
        UseProxy = false,
        UseCookies = false,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
        MaxConnectionsPerServer = int.MaxValue,
    })
    { Timeout = TimeSpan.FromSeconds(60) };

    private static Sample[] Check(Sample[] samples, Target target)
    {
        var failed = samples.Where(s => s.Status != target.Expected).ToList();
        if (failed.Count == 0) return samples;
        var first = failed[0];
        throw new BenchFailedException($"{failed.Count} of {samples.Length} requests to {target.Name} did not answer {target.Expected}; " +
            $"the first ({first.Marker}) answered {(first.Status == 0 ? "nothing" : first.Status.ToString(CultureInfo.InvariantCulture))}: {first.Error}");
    }

    internal static void Log(string message) => Console.Error.WriteLine($"[proxy-load] {message}");
}

internal sealed class BenchFailedException(string message) : Exception(message);

internal sealed record Options(Uri Reelgate, Uri Fake, int Count, double Rate, int Warmup, TimeSpan ForwardTimeout, int? ServerPid, int? PostgresPid)
{
    public static bool TryParse(string[] args, out Options options, out string problem)
    {
        options = null!;
        problem = "";
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) { problem = $"unexpected '{args[i]}'"; return false; }
            values[args[i][2..]] = args[i + 1];
        }
        if (args.Length % 2 != 0) { problem = $"'{args[^1]}' needs a value"; return false; }
        if (!values.TryGetValue("reelgate", out var reelgate) || !values.TryGetValue("fake", out var fake)) { problem = "--reelgate and --fake are required"; return false; }
        int Int(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        int? Pid(string name) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : null;
        try
        {
            options = new Options(new Uri(reelgate), new Uri(fake), Int("count", 2000),
                values.TryGetValue("rate", out var rate) ? double.Parse(rate, CultureInfo.InvariantCulture) : 200,
                Int("warmup", 200), TimeSpan.FromSeconds(Int("forward-timeout", 120)), Pid("server-pid"), Pid("postgres-pid"));
        }
        catch (FormatException ex)
        {
            problem = ex.Message;
            return false;
        }
        if (options.Count < 100 || options.Rate <= 0 || options.Warmup < 1) { problem = "--count must be at least 100, --rate positive, --warmup at least 1"; return false; }
        return true;
    }
}
