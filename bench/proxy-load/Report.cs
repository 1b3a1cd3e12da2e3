using System.Globalization;

namespace Reelgate.Bench.ProxyLoad;

/// <summary>The figures, the targets and their verdicts, on stdout.</summary>
internal static class Report
{
    public const double AddedP50TargetMs = 2;
    public const double AddedP99TargetMs = 10;
    public const double CpuPerForwardTargetMs = 3;

    public static void Print(Options options, int users, Sample[] direct, Sample[] proxied, Arrivals.Received received, Watch.Lap directCpu, Watch.Lap proxiedCpu,
        Watch.Lap forwardedCpu)
    {
        var a = new Stats(proxied.Select(s => s.LatencyMs));
        var b = new Stats(direct.Select(s => s.LatencyMs));
        var directArrivals = direct.Select(s => Arrival(s, received)).ToArray();
        var c = new Stats(proxied.Select(s => (received.AtMicroseconds[s.Marker] - s.Scheduled / 1000) / 1e3));
        var afterAnswer = new Stats(proxied.Select(s => (received.AtMicroseconds[s.Marker] - s.Done / 1000) / 1e3));

        Line();
        Line($"Reelgate proxy overhead — {Environment.ProcessorCount} CPUs, load average {LoadAverage()}, " +
             $"{F0(options.Count)} renders each way at {F0(options.Rate)} req/s ({F0(options.Warmup)} each way before, discarded), " +
             $"{(users == 1 ? "one user" : $"{users} users in turns")}");
        Line();
        Row("latency, from when a request was due", "p50 ms", "p99 ms", "max ms");
        Row(new string('-', 62), "------", "------", "------");
        Row("(b) POST /render on the fake, directly (201)", b);
        Row("(a) POST /api/v1/render?provider=shotstack (202)", a);
        Row("    added by Reelgate: (a) - (b)", F(a.P50 - b.P50), F(a.P99 - b.P99), "");
        Line();
        Row("from when a request was due until the fake received it", "p50 ms", "p99 ms", "max ms");
        Row(new string('-', 62), "------", "------", "------");
        if (directArrivals.All(x => x is not null))
        {
            var bArrival = new Stats(directArrivals.Select(x => x!.Value));
            Row("(b') the direct request", bArrival);
            Row("(c) the render, forwarded by Reelgate's remote poller", c);
            Row("    added by queueing and forwarding: (c) - (b')", F(c.P50 - bArrival.P50), F(c.P99 - bArrival.P99), "");
        }
        else
        {
            Row("(c) the render, forwarded by Reelgate's remote poller", c);
        }
        Row("(c') the render, from Reelgate's 202 until the fake received it", afterAnswer);
        Line();
        Line($"sender lag (due -> sent) p99: direct {F(new Stats(direct.Select(s => s.LagMs)).P99)} ms, Reelgate {F(new Stats(proxied.Select(s => s.LagMs)).P99)} ms");
        Line($"during (b): {Cpu(directCpu, options.Count)}");
        Line($"during (a): {Cpu(proxiedCpu, options.Count)}");
        Line($"during (a) and until the last render reached the fake: {Cpu(forwardedCpu, options.Count)}");
        Line($"status polls the fake answered: {F0(received.Polls)}");
        Line($"load average now: {LoadAverage()} (1, 5, 15 min)");
        Line();
        Line("the latency targets apply to (a) - (b): what a client waits for beyond Shotstack's own answer; the CPU target to");
        Line("Reelgate and PostgreSQL together, from the first measured submit until the last of them reached the fake");
        Verdict("added latency p50, (a) - (b)", a.P50 - b.P50, AddedP50TargetMs, "ms");
        Verdict("added latency p99, (a) - (b)", a.P99 - b.P99, AddedP99TargetMs, "ms");
        if (forwardedCpu is { ServerCpuSeconds: { } server, PostgresCpuSeconds: { } postgres })
        {
            Verdict("CPU per forwarded render, Reelgate + PostgreSQL", (server + postgres) * 1000 / options.Count, CpuPerForwardTargetMs, "ms");
        }
        else
        {
            Line("CPU per forwarded render: not measured (PostgreSQL is not the bench's own server, so its CPU cannot be told apart)");
        }
        Line($"forwarding delay, due until the fake received the render (c): p50 {F(c.P50)} ms, p99 {F(c.P99)} ms (reported, no target)");
    }

    private static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static double? Arrival(Sample sample, Arrivals.Received received) =>
        received.AtMicroseconds.TryGetValue(sample.Marker, out var at) ? (at - sample.Scheduled / 1000) / 1e3 : null;

    private static string Cpu(Watch.Lap lap, int requests)
    {
        var parts = new List<string> { $"machine {F0(lap.MachineBusy * 100)}% busy over {F(lap.WallSeconds)} s" };
        if (lap.ServerCpuSeconds is { } server) parts.Add($"Reelgate {F(server * 1000 / requests)} ms CPU per request");
        if (lap.PostgresCpuSeconds is { } postgres) parts.Add($"PostgreSQL {F(postgres * 1000 / requests)} ms CPU per request");
        if (lap is { ServerCpuSeconds: { } s, PostgresCpuSeconds: { } p }) parts.Add($"together {F((s + p) * 1000 / requests)} ms");
        return string.Join(", ", parts);
    }

    private static void Verdict(string what, double got, double target, string unit) =>
        Line(string.Create(CultureInfo.InvariantCulture, $"target: {what,-48} <= {F0(target),3} {unit}   got {F(got),8} {unit}   {(got <= target ? "met" : "missed")}"));

    private static void Row(string label, Stats stats) => Row(label, F(stats.P50), F(stats.P99), F(stats.Max));

    private static void Row(string label, string p50, string p99, string max) =>
        Line(string.Create(CultureInfo.InvariantCulture, $"{label,-62} {p50,8} {p99,8} {max,8}"));

    private static string F(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    private static string F0(double value) => value.ToString("0", CultureInfo.InvariantCulture);

    private static void Line(string text = "") => Console.WriteLine(text);
}
