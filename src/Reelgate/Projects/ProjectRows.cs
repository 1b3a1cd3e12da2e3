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

/// <summary>Read by property, since Npgsql describes the uuid[] column as a plain array that no constructor signature matches.</summary>
public sealed record AssemblyRow
{
    public Guid JobId { get; init; }
    public Guid ProjectId { get; init; }
    public Guid UserId { get; init; }
    public Guid[] ClipIds { get; init; } = [];
    public string Status { get; init; } = "";
    public string? VideoKey { get; init; }
    public double? Duration { get; init; }
    public string? ErrorMessage { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? CompletedAt { get; init; }
}
