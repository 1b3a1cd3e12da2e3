using Microsoft.AspNetCore.Http.HttpResults;
using Reelgate.Common;

namespace Reelgate.Generation;

/// <summary>
/// <c>POST /api/v1/uploads</c>: an image or an audio file as the multipart field <c>file</c>, for the <c>uploadId</c> of
/// generations and clips (images) or of project music (audio).
/// </summary>
public static class UploadEndpoint
{
    public const string NotAnImageMessage = "must be a JPEG, PNG or WebP image (judged by its content).";

    public const string NotAcceptedMessage = "must be a JPEG, PNG or WebP image, or MP3, M4A or WAV audio (judged by its content).";

    public sealed record UploadCreated(Guid Id, string ContentType, long Bytes, DateTime CreatedAt);

    internal static async Task<Results<Created<UploadCreated>, ValidationProblem, ProblemHttpResult>> Upload(
        HttpRequest request, ImageUploads uploads, CancellationToken ct)
    {
        var (form, malformed) = await Forms.ReadAsync(request, ct);
        if (malformed is not null) return Problems.Validation("file", $"could not be read: the multipart/form-data body is malformed ({malformed})");
        var file = form?.Files.GetFile("file");
        if (file is null) return Problems.Validation("file", "is required: send the file as the multipart/form-data field 'file'.");
        if (file.Length > uploads.MaxAnyBytes) return TooLarge(uploads.MaxAnyBytes, "File too large.", "file");

        await using var content = file.OpenReadStream();
        return await uploads.StoreAsync(request.HttpContext.User.UserId(), content, ct) switch
        {
            UploadResult.Stored { Upload: var u } => TypedResults.Created((string?)null, new UploadCreated(u.Id, u.ContentType, u.Bytes, u.CreatedAt)),
            UploadResult.TooLarge { Audio: true } t => TooLarge(t.MaxBytes, "Audio too large.", "audio file"),
            UploadResult.TooLarge t => TooLarge(t.MaxBytes, "Image too large.", "image"),
            _ => Problems.Validation("file", NotAcceptedMessage),
        };
    }

    public static string TooLargeMessage(long maxBytes) => $"must be at most {maxBytes / (1024 * 1024)} MB.";

    private static ProblemHttpResult TooLarge(long maxBytes, string title, string what) =>
        Problems.Create(StatusCodes.Status413PayloadTooLarge, what == "image" ? "image-too-large" : "file-too-large", title,
            $"The {what} {TooLargeMessage(maxBytes)}", new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["file"] = [TooLargeMessage(maxBytes)] } });
}
