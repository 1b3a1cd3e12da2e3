using Microsoft.AspNetCore.Http.HttpResults;
using Reelgate.Common;

namespace Reelgate.Generation;

/// <summary><c>POST /api/v1/uploads</c>: an image as the multipart field <c>file</c>, for <c>POST /api/v1/generate</c>'s <c>uploadId</c>.</summary>
public static class UploadEndpoint
{
    public const string NotAnImageMessage = "must be a JPEG, PNG or WebP image (judged by its content).";

    public sealed record UploadCreated(Guid Id, string ContentType, long Bytes, DateTime CreatedAt);

    internal static async Task<Results<Created<UploadCreated>, ValidationProblem, ProblemHttpResult>> Upload(
        HttpRequest request, ImageUploads uploads, CancellationToken ct)
    {
        var (form, malformed) = await Forms.ReadAsync(request, ct);
        if (malformed is not null) return Problems.Validation("file", $"could not be read: the multipart/form-data body is malformed ({malformed})");
        var file = form?.Files.GetFile("file");
        if (file is null) return Problems.Validation("file", "is required: send the image as the multipart/form-data field 'file'.");
        if (file.Length > uploads.MaxBytes) return TooLarge(uploads.MaxBytes);

        await using var content = file.OpenReadStream();
        return await uploads.StoreAsync(request.HttpContext.User.UserId(), content, ct) switch
        {
            UploadResult.Stored { Upload: var u } => TypedResults.Created((string?)null, new UploadCreated(u.Id, u.ContentType, u.Bytes, u.CreatedAt)),
            UploadResult.TooLarge t => TooLarge(t.MaxBytes),
            _ => Problems.Validation("file", NotAnImageMessage),
        };
    }

    public static string TooLargeMessage(long maxBytes) => $"must be at most {maxBytes / (1024 * 1024)} MB.";

    private static ProblemHttpResult TooLarge(long maxBytes) =>
        Problems.Create(StatusCodes.Status413PayloadTooLarge, "image-too-large", "Image too large.", $"The image {TooLargeMessage(maxBytes)}");
}
