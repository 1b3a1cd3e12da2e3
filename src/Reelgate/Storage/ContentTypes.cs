using Microsoft.AspNetCore.StaticFiles;

namespace Reelgate.Storage;

internal static class ContentTypes
{
    public const string Fallback = "application/octet-stream";

    private static readonly FileExtensionContentTypeProvider Provider = new();

    public static string FromKey(string key) =>
        Provider.TryGetContentType(key, out var contentType) ? contentType : Fallback;

    /// <summary>Media a browser can show without running anything; everything else is served as a download.</summary>
    public static bool IsSafeInline(string contentType) =>
        contentType.StartsWith("video/", StringComparison.OrdinalIgnoreCase)
        || contentType.StartsWith("audio/", StringComparison.OrdinalIgnoreCase)
        || contentType is "image/jpeg" or "image/png" or "image/webp" or "image/gif";
}
