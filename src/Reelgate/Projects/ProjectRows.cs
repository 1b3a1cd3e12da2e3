namespace Reelgate.Projects;

public static class ProjectStatus
{
    public const string InProgress = "in_progress";
    public const string Assembling = "assembling";
    public const string Assembled = "assembled";
}

public static class ClipStatus
{
    public const string Generating = "generating";
    public const string Done = "done";
    public const string Failed = "failed";
}

public sealed record ProjectRow(
    Guid Id, Guid UserId, string Title, string? MusicKey, string? MusicType, string? MusicSource, string Status, DateTime CreatedAt, DateTime UpdatedAt);

public sealed record ClipRow(
    Guid Id, Guid ProjectId, Guid UserId, int Position, string ImageKey, string? Prompt, int DurationSec, string Status, Guid JobId,
    Guid? VideoJobId, string? VideoKey, double? VideoSeconds, bool Approved, string? ErrorCode, string? ErrorMessage, DateTime CreatedAt, DateTime UpdatedAt);

public sealed record AssemblyRow(
    Guid JobId, Guid ProjectId, Guid UserId, Guid[] ClipIds, string Status, string? VideoKey, double? Duration, string? ErrorMessage,
    DateTime CreatedAt, DateTime? CompletedAt);
