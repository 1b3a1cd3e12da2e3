using System.Diagnostics;

namespace Reelgate.Telemetry;

/// <summary>
/// Reelgate's own spans: one per job step (submit, claim, fetch, render, upstream submit and poll, save, settle), each
/// tagged <c>reelgate.job.id</c> so a job's steps can be found together across requests and workers.
/// </summary>
public static class ReelgateTelemetry
{
    public const string Name = "Reelgate";
    public const string JobIdTag = "reelgate.job.id";

    public static readonly ActivitySource Source = new(Name);

    /// <summary>Starts a job step's span; disposing it ends the span and records the step's duration.</summary>
    public static JobStep Step(string phase, Guid jobId, string? kind = null, string? provider = null) => new(phase, jobId, kind, provider, null);

    /// <summary>A claim that already happened, from <paramref name="startedAt"/> until now (empty polls leave no span).</summary>
    public static void Claimed(Guid jobId, string kind, string provider, DateTimeOffset startedAt)
    {
        using var step = new JobStep("claim", jobId, kind, provider, startedAt);
    }
}

public sealed class JobStep : IDisposable
{
    public const string NamePrefix = "job.";

    private readonly Activity? _activity;
    private readonly Activity? _unrecordedParent;
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly TagList _tags;

    internal JobStep(string phase, Guid jobId, string? kind, string? provider, DateTimeOffset? startedAt)
    {
        _tags = new TagList { { "job.phase", phase }, { "job.kind", kind ?? "unknown" }, { "job.provider", provider ?? "unknown" } };
        // A step is always traced; inside an unsampled request it starts a trace of its own rather than name a parent never exported.
        if (Activity.Current is { Recorded: false } unrecorded)
        {
            _unrecordedParent = unrecorded;
            Activity.Current = null;
        }
        _activity = ReelgateTelemetry.Source.StartActivity(NamePrefix + phase, ActivityKind.Internal, default(ActivityContext), startTime: startedAt ?? default);
        _activity?.SetTag(ReelgateTelemetry.JobIdTag, jobId.ToString());
        if (kind is not null) _activity?.SetTag("job.kind", kind);
        if (provider is not null) _activity?.SetTag("job.provider", provider);
        if (startedAt is { } start) _started -= (long)((DateTimeOffset.UtcNow - start).TotalSeconds * Stopwatch.Frequency);
    }

    public void Dispose()
    {
        ReelgateMetrics.PhaseDuration.Record(Stopwatch.GetElapsedTime(_started).TotalSeconds, _tags);
        _activity?.Dispose();
        if (_unrecordedParent is not null) Activity.Current = _unrecordedParent;
    }
}
