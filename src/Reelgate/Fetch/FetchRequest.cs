namespace Reelgate.Fetch;

/// <summary>Per-call limits that tighten the configured <see cref="FetchOptions"/>.</summary>
public sealed record FetchRequest
{
    public long? MaxBytes { get; init; }

    public TimeSpan? Timeout { get; init; }

    /// <summary>When set, a download whose sniffed kind is not in the set fails with <c>unsupported-content</c>.</summary>
    public IReadOnlySet<ContentKind>? AcceptedKinds { get; init; }
}
