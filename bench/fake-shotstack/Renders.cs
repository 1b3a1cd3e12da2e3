using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Reelgate.Bench.FakeShotstack;

/// <summary>
/// The renders the fake accepted. A render is in flight from its POST until its render time is up; then it is done,
/// its status says so with an output URL, and its callback goes out. Times are microseconds on CLOCK_MONOTONIC.
/// </summary>
internal sealed class Renders(Settings settings, Callbacks callbacks)
{
    public const string ArrivalItem = "arrival";
    private readonly ConcurrentDictionary<string, Render> _byId = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Render> _accepted = new();
    private long _polls;
    private int _inFlight;
    private int _peakInFlight;

    public async Task<IResult> SubmitAsync(HttpContext context)
    {
        var arrived = (long)context.Items[ArrivalItem]!;
        var edit = await JsonNode.ParseAsync(context.Request.Body);
        if (edit?["timeline"] is null || edit["output"] is null)
        {
            return Results.Json(new { success = false, message = "Bad Request", response = new { error = "timeline and output are required" } }, statusCode: 400);
        }
        var marker = edit["timeline"]?["tracks"]?[0]?["clips"]?[0]?["asset"]?["text"]?.GetValue<string>() ?? "";
        var render = new Render(Guid.NewGuid().ToString(), marker, Microseconds(arrived), edit["callback"]?.GetValue<string>(),
            $"{context.Request.Scheme}://{context.Request.Host}");
        _byId[render.Id] = render;
        _accepted.Enqueue(render);
        var now = Interlocked.Increment(ref _inFlight);
        for (var peak = Volatile.Read(ref _peakInFlight); now > peak; peak = Volatile.Read(ref _peakInFlight))
        {
            if (Interlocked.CompareExchange(ref _peakInFlight, now, peak) == peak) break;
        }
        if (settings.RenderTime > TimeSpan.Zero) _ = FinishLaterAsync(render, arrived);
        return Results.Json(new { success = true, message = "Created", response = new { message = "Render Successfully Queued", id = render.Id } }, statusCode: 201);
    }

    public IResult Status(string id)
    {
        Interlocked.Increment(ref _polls);
        if (!_byId.TryGetValue(id, out var render)) return Results.Json(new { success = false, message = "Bad Request", response = new { } }, statusCode: 400);
        var done = render.IsFinished;
        Interlocked.Increment(ref render.Polls);
        if (render.HasFailed)
        {
            return Results.Json(new
            {
                success = true, message = "OK",
                response = new
                {
                    id, owner = "bench", plan = "basic", status = "failed", error = Render.FailedError,
                    created = "2026-01-01T00:00:00.000Z", updated = "2026-01-01T00:00:01.000Z",
                },
            });
        }
        if (done) Interlocked.CompareExchange(ref render.FirstDonePollAt, Microseconds(Stopwatch.GetTimestamp()), 0);
        return Results.Json(new
        {
            success = true, message = "OK",
            response = new
            {
                id, owner = "bench", plan = "basic", status = done ? "done" : "rendering",
                url = done ? OutputUrl(render) : null, duration = done ? (double?)1 : null,
                created = "2026-01-01T00:00:00.000Z", updated = "2026-01-01T00:00:01.000Z",
            },
        });
    }

    public IResult Output(string id)
    {
        if (settings.OutputFile is null || !_byId.TryGetValue(id, out var render) || !render.IsFinished || render.HasFailed) return Results.NotFound();
        Interlocked.CompareExchange(ref render.OutputAt, Microseconds(Stopwatch.GetTimestamp()), 0);
        return Results.File(settings.OutputFile, "video/mp4");
    }

    public IResult Arrivals() => Results.Json(new
    {
        polls = Interlocked.Read(ref _polls),
        arrivals = _accepted.Select(r => new { marker = r.Marker, atMicroseconds = r.AcceptedAt }).ToArray(),
    });

    public IResult Stats() => Results.Json(new
    {
        accepted = _accepted.Count, inFlight = Volatile.Read(ref _inFlight), peakInFlight = Volatile.Read(ref _peakInFlight),
        polls = Interlocked.Read(ref _polls), callbacks = callbacks.Sent, callbacksFailed = callbacks.Failed,
    });

    /// <summary>The peak starts again from what is in flight now, so a measured phase's peak leaves out what went before.</summary>
    public IResult ResetPeak()
    {
        Volatile.Write(ref _peakInFlight, Volatile.Read(ref _inFlight));
        return Results.NoContent();
    }

    /// <summary>
    /// Fails every render in flight whose marker starts with <paramref name="prefix"/>, as Shotstack fails a render:
    /// its status says "failed" and its callback goes out. A load generator ends its warm-up renders so, and measures
    /// without their status reads.
    /// </summary>
    public IResult Fail(string prefix)
    {
        var ended = 0;
        foreach (var render in _accepted)
        {
            if (!render.Marker.StartsWith(prefix, StringComparison.Ordinal) || !render.TryFinish(failed: true)) continue;
            Interlocked.Decrement(ref _inFlight);
            ended++;
            if (settings.SendCallbacks && render.CallbackUrl is { } url) _ = callbacks.SendAsync(render, url, null);
        }
        return Results.Json(new { ended });
    }

    public IResult List() => Results.Json(_accepted.Select(r => new
    {
        id = r.Id, marker = r.Marker, acceptedAt = r.AcceptedAt, finishedAt = NullIfZero(Volatile.Read(ref r.FinishedAt)), firstDonePollAt = NullIfZero(r.FirstDonePollAt),
        outputAt = NullIfZero(r.OutputAt), callbackAt = NullIfZero(r.CallbackAt), callbackStatus = r.CallbackStatus, polls = r.Polls,
    }).ToArray());

    private async Task FinishLaterAsync(Render render, long arrived)
    {
        var due = arrived + (long)(settings.RenderTime.TotalSeconds * Stopwatch.Frequency);
        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
        if (wait > TimeSpan.Zero) await Task.Delay(wait);
        if (!render.TryFinish(failed: false)) return;
        Interlocked.Decrement(ref _inFlight);
        if (settings.SendCallbacks && render.CallbackUrl is { } url) await callbacks.SendAsync(render, url, OutputUrl(render));
    }

    private static string OutputUrl(Render render) => $"{render.BaseUrl}/bench/output/{render.Id}.mp4";

    private static long? NullIfZero(long value) => value == 0 ? null : value;

    /// <summary>Stopwatch reads CLOCK_MONOTONIC on Linux, so these agree with the load generator's in another process.</summary>
    public static long Microseconds(long timestamp) => (long)(timestamp * (1_000_000.0 / Stopwatch.Frequency));
}

internal sealed class Render(string id, string marker, long acceptedAt, string? callbackUrl, string baseUrl)
{
    public string Id { get; } = id;
    public string Marker { get; } = marker;
    public long AcceptedAt { get; } = acceptedAt;
    public string? CallbackUrl { get; } = callbackUrl;
    public string BaseUrl { get; } = baseUrl;
    public int? CallbackStatus { get; set; }
    public const string FailedError = "Ended by the bench";
    public bool IsFinished => Volatile.Read(ref FinishedAt) != 0;
    public bool HasFailed => Volatile.Read(ref _failed);
    private bool _failed;

    /// <summary>Ends the render once: false when it had ended already.</summary>
    public bool TryFinish(bool failed)
    {
        lock (this)
        {
            if (IsFinished) return false;
            Volatile.Write(ref _failed, failed);
            Volatile.Write(ref FinishedAt, Renders.Microseconds(Stopwatch.GetTimestamp()));
            return true;
        }
    }

    public long FinishedAt;
    public long FirstDonePollAt;
    public long OutputAt;
    public long CallbackAt;
    public int Polls;
}
