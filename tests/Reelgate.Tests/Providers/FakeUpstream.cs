using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Http;
using Reelgate.Tests.Fetch;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Providers;

/// <summary>
/// What every fake upstream shares: jobs that move through a list of states over time, output files served from
/// the fake (or expired), callbacks sent when a job ends, and failure injection.
/// </summary>
internal abstract class FakeUpstream : IAsyncDisposable
{
    private readonly ConcurrentQueue<SubmitFailure> _submitFailures = new();
    private readonly ConcurrentQueue<int> _statusFailures = new();
    private int _submitCalls;
    private int _outputCalls;
    private int _slowStatusCalls;
    private int _peakInFlight;

    protected FakeUpstream(string video) => VideoPath = video;

    protected TestHttpServer Server { get; set; } = null!;

    public string VideoPath { get; }

    public Uri BaseAddress => Server.BaseAddress;

    public ConcurrentDictionary<string, FakeJob> Jobs { get; } = new();

    /// <summary>How long each state lasts before the next.</summary>
    public TimeSpan StepDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Set to make jobs fail upstream with this reason instead of succeeding.</summary>
    public string? FailWith { get; set; }

    /// <summary>Decides from a job's request body whether it fails upstream, and why; null lets it succeed (or fail by <see cref="FailWith"/>).</summary>
    public Func<string, string?>? FailFor { get; set; }

    /// <summary>Picks the video a job delivers from its request body; null serves <see cref="VideoPath"/>.</summary>
    public Func<string, string>? VideoFor { get; set; }

    /// <summary>Output links answer 404, as Shotstack's and Runway's do once they expire.</summary>
    public bool ExpireOutputs { get; set; }

    /// <summary>How long a submit waits after creating the job before it answers.</summary>
    public TimeSpan SubmitDelay { get; set; }

    /// <summary>Status requests that answer only after this long (counted by <see cref="SlowStatusCalls"/>).</summary>
    public TimeSpan StatusDelay { get; set; }

    public int SlowStatuses { get; set; }

    public bool SendCallbacks { get; set; } = true;

    /// <summary>Delivers a callback; tests hosting Reelgate on a TestServer route it through the factory's client.</summary>
    public Func<string, string, Task<int>> Deliver { get; set; } = async (url, body) =>
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(url, Api.Json(body));
        return (int)response.StatusCode;
    };

    public ConcurrentQueue<(string Url, string Body, int Status)> Callbacks { get; } = new();

    public int SubmitCalls => Volatile.Read(ref _submitCalls);

    public int OutputCalls => Volatile.Read(ref _outputCalls);

    public int SlowStatusCalls => Volatile.Read(ref _slowStatusCalls);

    public List<DateTime> SubmitTimes { get; } = [];

    /// <summary>When each submit and each status request arrived: the requests a provider's quota counts.</summary>
    public ConcurrentQueue<DateTime> RequestTimes { get; } = new();

    /// <summary>The most jobs ever unfinished here at once.</summary>
    public int PeakInFlight => Volatile.Read(ref _peakInFlight);

    /// <summary>The next <paramref name="count"/> submits answer <paramref name="status"/> without creating a job.</summary>
    public void FailSubmits(int status, int count, string body = "{}", int? retryAfterSeconds = null)
    {
        for (var i = 0; i < count; i++) _submitFailures.Enqueue(new SubmitFailure(status, body, retryAfterSeconds));
    }

    public void FailStatuses(int status, int count)
    {
        for (var i = 0; i < count; i++) _statusFailures.Enqueue(status);
    }

    /// <summary>Counts the submit and answers the next injected failure, or null to go ahead.</summary>
    protected IResult? NextSubmitFailure(HttpContext context)
    {
        Interlocked.Increment(ref _submitCalls);
        lock (SubmitTimes) SubmitTimes.Add(DateTime.UtcNow);
        RequestTimes.Enqueue(DateTime.UtcNow);
        if (!_submitFailures.TryDequeue(out var failure)) return null;
        if (failure.RetryAfterSeconds is { } seconds) context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Results.Content(failure.Body, "application/json", Encoding.UTF8, failure.Status);
    }

    /// <summary>An injected 5xx for this status request, or null after any injected latency.</summary>
    protected async Task<IResult?> NextStatusFailureAsync()
    {
        RequestTimes.Enqueue(DateTime.UtcNow);
        if (_statusFailures.TryDequeue(out var status)) return Results.StatusCode(status);
        if (StatusDelay > TimeSpan.Zero && Volatile.Read(ref _slowStatusCalls) < SlowStatuses)
        {
            Interlocked.Increment(ref _slowStatusCalls);
            await Task.Delay(StatusDelay);
        }
        return null;
    }

    protected IResult Output(string id)
    {
        Interlocked.Increment(ref _outputCalls);
        return ExpireOutputs || !Jobs.TryGetValue(id, out var job) ? Results.NotFound()
            : Results.File(VideoFor?.Invoke(job.Request) ?? VideoPath, "video/mp4");
    }

    public Uri OutputUrl(string id) => Server.Url($"/outputs/{id}.mp4?expires=86400&signature=s3cret");

    /// <summary>Creates a job and, when it ends, sends its callback (up to three tries, as RunPod does).</summary>
    protected FakeJob Create(string id, string? callback, string body, string[] states)
    {
        var job = new FakeJob(id, callback, body, states, StepDelay, FailFor?.Invoke(body) ?? FailWith);
        Jobs[id] = job;
        var inFlight = Jobs.Values.Count(j => !j.IsLast && !j.Canceled);
        int peak;
        while (inFlight > (peak = Volatile.Read(ref _peakInFlight)) && Interlocked.CompareExchange(ref _peakInFlight, inFlight, peak) != peak)
        {
            // Another submit raised the peak meanwhile; compare again.
        }
        if (callback is not null && SendCallbacks)
        {
            _ = Task.Run(async () =>
            {
                await Task.Delay(StepDelay * (states.Length - 1) + TimeSpan.FromMilliseconds(50));
                if (job.Canceled) return;
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    var payload = CallbackBody(job);
                    int status;
                    try { status = await Deliver(callback, payload); }
                    catch (Exception) { status = 0; }
                    Callbacks.Enqueue((callback, payload, status));
                    if (status is >= 200 and < 300) return;
                    await Task.Delay(TimeSpan.FromSeconds(1));
                }
            });
        }
        return job;
    }

    protected abstract string CallbackBody(FakeJob job);

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}

internal sealed record SubmitFailure(int Status, string Body, int? RetryAfterSeconds);

internal sealed class FakeJob(string id, string? callback, string request, string[] states, TimeSpan step, string? failWith)
{
    private readonly Stopwatch _age = Stopwatch.StartNew();

    public string Id { get; } = id;
    public DateTime CreatedAt { get; } = DateTime.UtcNow;
    public string? Callback { get; } = callback;
    public string Request { get; } = request;
    public string? FailWith { get; } = failWith;
    public bool Canceled { get; set; }

    /// <summary>The current state: one per <c>step</c>, the last one for good.</summary>
    public string State => states[Math.Min((int)(_age.Elapsed / step), states.Length - 1)];

    public bool IsLast => State == states[^1];
}
