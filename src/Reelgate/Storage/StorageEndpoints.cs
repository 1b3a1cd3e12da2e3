using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Reelgate.Common;

namespace Reelgate.Storage;

public static class StorageEndpoints
{
    public static IEndpointRouteBuilder MapStorage(this IEndpointRouteBuilder endpoints)
    {
        var files = endpoints.MapGroup("/files").WithTags("Storage").AllowAnonymous();
        files.MapGet("/{**key}", GetFile).WithName("GetStoredFile");
        return endpoints;
    }

    /// <summary>Serves a stored object to whoever holds a valid signed link; the link is the authorisation.</summary>
    public static Results<PhysicalFileHttpResult, NotFound, ProblemHttpResult> GetFile(
        string key,
        [FromQuery] string? expires,
        [FromQuery] string? sig,
        [FromQuery] string? download,
        IObjectStore store,
        LinkSigner signer,
        TimeProvider time,
        HttpResponse response)
    {
        var now = time.GetUtcNow();
        switch (signer.Verify(key, expires, sig, now))
        {
            case LinkCheck.Invalid:
                return Problems.Create(StatusCodes.Status403Forbidden, "link-invalid", "Invalid link", "The link's signature does not match; request a new link.");
            case LinkCheck.Expired:
                return Problems.Create(StatusCodes.Status403Forbidden, "link-expired", "Link expired", "The link has expired; request a new link.");
        }
        if (store is not LocalObjectStore local || local.FindFile(key) is not { } file)
        {
            return TypedResults.NotFound();
        }
        var secondsLeft = long.Parse(expires!, CultureInfo.InvariantCulture) - now.ToUnixTimeSeconds();
        response.Headers.CacheControl = $"private, max-age={secondsLeft}";
        response.Headers.XContentTypeOptions = "nosniff";
        var asAttachment = download is "1" or "true" || !ContentTypes.IsSafeInline(file.ContentType);
        return TypedResults.PhysicalFile(
            file.Path,
            file.ContentType,
            asAttachment ? Path.GetFileName(file.Path) : null,
            file.LastModified,
            enableRangeProcessing: true);
    }
}
