namespace Reelgate.Providers;

/// <summary>Where an upstream job stands, in the terms the job worker acts on.</summary>
public enum UpstreamPhase
{
    Waiting,
    Running,
    Succeeded,
}

/// <summary>An upstream's answer about one of its jobs. <paramref name="Raw"/> is the upstream's own status word.</summary>
public sealed record UpstreamStatus(
    string Raw, UpstreamPhase Phase, double? Progress = null, string? OutputUrl = null, double? Duration = null, long? Seed = null);

/// <summary>Every adapter call ends in one of these; the job worker needs nothing else from an upstream.</summary>
public abstract record ProviderResult
{
    /// <summary>The upstream holds a job under <paramref name="UpstreamId"/> that has not failed.</summary>
    public sealed record Accepted(string UpstreamId, UpstreamStatus Status) : ProviderResult;

    /// <summary>The upstream refused the request (4xx); repeating it would be refused again.</summary>
    public sealed record Rejected(string Reason) : ProviderResult;

    /// <summary>
    /// Worth asking again later (5xx, timeout, throttling). <paramref name="MayHaveAccepted"/> is true when a submit
    /// left without an answer, so the upstream may have created the job anyway.
    /// </summary>
    public sealed record Transient(string Reason, TimeSpan? RetryAfter = null, bool MayHaveAccepted = false) : ProviderResult;

    /// <summary>The upstream job ended without an output (failed, canceled or expired there).</summary>
    public sealed record Failed(string Reason) : ProviderResult;
}
