using System.Globalization;
using Reelgate.Bench.ProxyLoad;

namespace Reelgate.Bench.UpstreamLoad;

/// <summary>The figures, the targets and their verdicts, on stdout. Times on the fake's clock are microseconds.</summary>
internal static class Report
{
    public const double FirstSubmitToLastDoneTargetSeconds = 40;

    public static void Print(Options options, int users, string loadAtStart, WallClock clock, Submit[] submits, IReadOnlyDictionary<Guid, FinishedJob> jobs,
        IReadOnlyDictionary<string, FakeRender> renders, FakeStats stats, CpuWatch.Used cpu, MemoryWatch.Resident? rss)
    {
        var missing = submits.Where(s => !renders.ContainsKey(s.Marker)).ToList();
        if (missing.Count > 0) throw new BenchFailedException($"{missing.Count} done jobs never reached the fake, e.g. {missing[0].Marker}");
        var n = submits.Length;
        var start = submits.Min(s => WallClock.Microseconds(s.Sent));
        double Seconds(long microseconds) => (microseconds - start) / 1e6;
        var upstream = submits.Select(s => renders[s.Marker]).ToList();
        var done = submits.ToDictionary(s => s.Marker, s => clock.Microseconds(jobs[s.JobId].CompletedAt!.Value));
        var lastDone = done.Values.Max();
        var lastAccepted = upstream.Max(r => r.AcceptedAt);
        var lastFinished = upstream.Max(r => r.FinishedAt ?? 0);
        var total = Seconds(lastDone);

        Line();
        Line($"Reelgate upstream concurrency — {Environment.ProcessorCount} CPUs, load average {loadAtStart} at the start, {Program.LoadAverage()} at the end (1, 5, 15 min)");
        Line($"{n} renders on one process from {(users == 1 ? "one user" : $"{users} users in turns")}, {options.Senders} senders at once, {F(options.RenderSeconds, "0.#")} s per render upstream, " +
             $"callbacks {(options.Callbacks ? "on" : "off")} ({options.Warmup} renders before, discarded)");
        Line();
        Line($"submits: the last answered at +{F(Seconds(submits.Max(s => WallClock.Microseconds(s.Answered))))} s, " +
             $"{F(n / Math.Max(1e-9, Seconds(submits.Max(s => WallClock.Microseconds(s.Answered)))), "0")} renders/s; " +
             $"202 latency {Percentiles(submits.Select(s => s.LatencyMs))}");
        Line($"forwarded: the first render reached the fake at +{F(Seconds(upstream.Min(r => r.AcceptedAt)))} s, the last at +{F(Seconds(lastAccepted))} s; " +
             $"202 -> fake {Percentiles(submits.Select(s => (renders[s.Marker].AcceptedAt - WallClock.Microseconds(s.Answered)) / 1e3))}");
        Line($"in flight at the fake: peak {stats.PeakInFlight} (counted by the fake), {PeakFromRecords(upstream)} (from its records)");
        Line($"finished upstream: the last at +{F(Seconds(lastFinished))} s; the physical limit is that plus one status read");
        Line($"upstream finish -> done in Reelgate {Percentiles(upstream.Select(r => (done[r.Marker] - r.FinishedAt!.Value) / 1e3))}");
        Line($"upstream finish -> first status read seeing done {Percentiles(upstream.Where(r => r.FirstDonePollAt is not null).Select(r => (r.FirstDonePollAt!.Value - r.FinishedAt!.Value) / 1e3))}");
        Line($"upstream finish -> output fetched {Percentiles(upstream.Where(r => r.OutputAt is not null).Select(r => (r.OutputAt!.Value - r.FinishedAt!.Value) / 1e3))}");
        Line($"status reads the fake answered: {F(upstream.Sum(r => r.Polls) / (double)n, "0.00")} per render; " +
             $"callbacks sent {upstream.Count(r => r.CallbackAt is not null)}, answered 2xx {upstream.Count(r => r.CallbackStatus is >= 200 and < 300)}, " +
             $"given up {stats.CallbacksFailed}");
        Line($"jobs done in Reelgate: {Histogram(done.Values.Select(Seconds).ToList(), total)}");
        Line();
        Line($"CPU from the first submit until none was active ({F(cpu.WallSeconds)} s, machine {F(cpu.MachineBusy * 100, "0")}% busy):");
        if (cpu.ServerSeconds is { } server) Line($"  Reelgate process {F(server)} s, {F(server * 1000 / n)} ms per job (from /proc; misses its sandboxed ffprobe runs)");
        if (cpu.ServerWithToolsSeconds is { } tools) Line($"  Reelgate with its ffprobe runs {F(tools)} s, {F(tools * 1000 / n)} ms per job (its cgroup)");
        if (cpu.PostgresSeconds is { } postgres) Line($"  PostgreSQL {F(postgres)} s, {F(postgres * 1000 / n)} ms per job");
        if ((cpu.ServerWithToolsSeconds ?? cpu.ServerSeconds) is { } all && cpu.PostgresSeconds is { } pg)
        {
            Line($"  together {F(all + pg)} s, {F((all + pg) * 1000 / n)} ms per job");
        }
        if (rss is not null)
        {
            Line($"Reelgate RSS: {MiB(rss.StartKiB)} MiB at the start, {MiB(rss.PeakKiB)} MiB at the peak, growth {MiB(rss.PeakKiB - rss.StartKiB)} MiB " +
                 $"({F((rss.PeakKiB - rss.StartKiB) / (double)n, "0.0")} KiB per job)");
        }
        Line();
        Verdict("first submit -> last job done in Reelgate", $"<= {F(FirstSubmitToLastDoneTargetSeconds, "0")} s", $"{F(total)} s",
            total <= FirstSubmitToLastDoneTargetSeconds);
        Verdict("renders in flight at the fake at the peak", $"= {n}", $"{stats.PeakInFlight}", stats.PeakInFlight >= n);
    }

    /// <summary>The most renders whose [accepted, finished) spans overlap, from the fake's own times.</summary>
    private static int PeakFromRecords(List<FakeRender> renders)
    {
        var edges = renders.Select(r => (At: r.AcceptedAt, Step: 1)).Concat(renders.Select(r => (At: r.FinishedAt ?? long.MaxValue, Step: -1)))
            .OrderBy(e => e.At).ThenBy(e => e.Step);
        int now = 0, peak = 0;
        foreach (var edge in edges) peak = Math.Max(peak, now += edge.Step);
        return peak;
    }

    /// <summary>How many jobs were done by each fifth of the run, so a straggling tail shows.</summary>
    private static string Histogram(List<double> seconds, double total)
    {
        var marks = Enumerable.Range(1, 5).Select(i => total * i / 5).ToList();
        return string.Join(", ", marks.Select(m => $"{seconds.Count(s => s <= m + 1e-6)} by +{F(m, "0.0")} s"));
    }

    private static string Percentiles(IEnumerable<double> milliseconds)
    {
        var list = milliseconds.ToList();
        if (list.Count == 0) return "(none)";
        var stats = new Stats(list);
        return $"p50 {F(stats.P50)} ms, p99 {F(stats.P99)} ms, max {F(stats.Max)} ms";
    }

    private static void Verdict(string what, string target, string got, bool met) =>
        Line(string.Create(CultureInfo.InvariantCulture, $"target: {what,-44} {target,9}   got {got,10}   {(met ? "met" : "missed")}"));

    private static string MiB(long kib) => F(kib / 1024.0, "0.0");

    private static string F(double value, string format = "0.00") => value.ToString(format, CultureInfo.InvariantCulture);

    private static void Line(string text = "") => Console.WriteLine(text);
}
