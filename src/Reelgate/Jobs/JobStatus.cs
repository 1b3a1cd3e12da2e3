namespace Reelgate.Jobs;

public static class JobStatus
{
    public const string Queued = "queued";
    public const string Fetching = "fetching";
    public const string Rendering = "rendering";
    public const string Saving = "saving";
    public const string Done = "done";
    public const string Failed = "failed";
    public const string Canceled = "canceled";

    public static readonly string[] Active = [Queued, Fetching, Rendering, Saving];

    /// <summary>
    /// <see cref="Active"/> as a SQL list, for <c>status IN</c>: written into the statement, not passed as a parameter, so the
    /// server can match the jobs indexes kept for active jobs in a plan it prepares once, rather than planning each call.
    /// </summary>
    public const string ActiveList = $"('{Queued}', '{Fetching}', '{Rendering}', '{Saving}')";
    public static readonly string[] All = [Queued, Fetching, Rendering, Saving, Done, Failed, Canceled];

    public static bool IsFinal(string status) => status is Done or Failed or Canceled;
}

public sealed record JobRecord(
    Guid Id, Guid UserId, string Kind, string Status, float Progress, string Provider, string Request, decimal Quote,
    double? Duration, string? ErrorCode, string? ErrorMessage, int Attempts, int MaxAttempts, string? CallbackUrl,
    DateTime CreatedAt, DateTime UpdatedAt, DateTime? CompletedAt);

public sealed record JobEvent(DateTime At, string Status, string Message);

public sealed record JobOutput(string Kind, string StorageKey, string ContentType, long Length, DateTime CreatedAt, DateTime? ExpiresAt);
