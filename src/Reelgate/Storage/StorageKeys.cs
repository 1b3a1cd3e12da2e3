using System.Globalization;

namespace Reelgate.Storage;

/// <summary>The key layout of everything Reelgate stores.</summary>
public static class StorageKeys
{
    public static string ForJobOutput(string prefix, Guid userId, Guid jobId, DateTimeOffset createdAt, string extension) =>
        $"{JobFolder(prefix, userId, createdAt)}/video_{jobId}.{Extension(extension)}";

    public static string ForJobPoster(string prefix, Guid userId, Guid jobId, DateTimeOffset createdAt) =>
        $"{JobFolder(prefix, userId, createdAt)}/video_{jobId}_poster.jpg";

    public static string ForJobThumbnail(string prefix, Guid userId, Guid jobId, DateTimeOffset createdAt) =>
        $"{JobFolder(prefix, userId, createdAt)}/video_{jobId}_thumb.jpg";

    public static string ForUpload(Guid userId, Guid uploadId, string extension) =>
        $"images/{userId}/{uploadId}.{Extension(extension)}";

    public static string ForProjectImage(Guid userId, Guid projectId, Guid clipId, string extension) =>
        $"images/{userId}/{projectId}/{clipId}.{Extension(extension)}";

    public static string ForClip(Guid userId, Guid projectId, Guid clipId) => $"clips/{userId}/{projectId}/{clipId}.mp4";

    /// <summary>A project's final videos sit beside its clips, one per assembly.</summary>
    public static string ForProjectVideo(Guid userId, Guid projectId, Guid assemblyJobId) => $"clips/{userId}/{projectId}/final-{assemblyJobId}.mp4";

    public static string ForProjectMusic(Guid userId, Guid projectId, string extension) => $"music/{userId}/{projectId}.{Extension(extension)}";

    private static string JobFolder(string prefix, Guid userId, DateTimeOffset createdAt)
    {
        var utc = createdAt.UtcDateTime;
        return string.Create(CultureInfo.InvariantCulture, $"{prefix.Trim('/')}/{utc:yyyy}/{utc:MM}/user_{userId}");
    }

    private static string Extension(string extension) => extension.TrimStart('.').ToLowerInvariant();
}
