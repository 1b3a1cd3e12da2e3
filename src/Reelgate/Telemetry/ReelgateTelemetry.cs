using System.Diagnostics;
using Reelgate.Jobs;

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
    private TagList _tags;
    private string? _errorType;
    private string? _errorDescription;

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

    /// <summary>
    /// Marks the step failed with <paramref name="ex"/>, for an exception filter: it returns false, so the exception goes on
    /// and the span ends with status Error as it unwinds. A cancellation is not a failure of the step.
    /// </summary>
    public bool Failed(Exception ex)
    {
        if (ex is OperationCanceledException) return false;
        // A job's own failures carry a code and a message written for its owner; anything else is named by its type only,
        // since its message can hold what a trace should not (a query, a path, an address).
        var (type, description) = ex switch
        {
            JobFailedException failed => (failed.Code, failed.Message),
            TransientJobException transient => (transient.Code, transient.Message),
            _ => (ex.GetType().FullName ?? ex.GetType().Name, ex.GetType().Name),
        };
        Failed(type, description);
        return false;
    }

    /// <summary>Marks the step failed without an exception: an upstream that answered with an error, say.</summary>
    public void Failed(string type, string description)
    {
        _errorType = type;
        _errorDescription = description;
    }

    public void Dispose()
    {
        if (_errorType is not null)
        {
            _tags.Add("error.type", _errorType);
            _activity?.SetTag("error.type", _errorType);
            _activity?.SetStatus(ActivityStatusCode.Error, _errorDescription);
        }
        ReelgateMetrics.PhaseDuration.Record(Stopwatch.GetElapsedTime(_started).TotalSeconds, _tags);
        _activity?.Dispose();
        if (_unrecordedParent is not null) Activity.Current = _unrecordedParent;
    }
}
