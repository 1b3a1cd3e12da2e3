using Microsoft.Extensions.Options;
using Reelgate.Common;
using Reelgate.Fetch;
using Reelgate.Generation;
using Reelgate.Jobs;
using Reelgate.Storage;

namespace Reelgate.Projects;

public sealed record ClipRequest(Guid? ProjectId, Guid? UploadId, string? ImageUrl, string? Prompt, int? DurationSec, int? Order);

public abstract record ClipResult
{
    public sealed record Started(Guid ClipId) : ClipResult;
    public sealed record Refused(SubmitResult Reason) : ClipResult;
    public sealed record ProjectNotFound : ClipResult;
    public sealed record ClipNotFound : ClipResult;
    public sealed record StillGenerating : ClipResult;
}

/// <summary>
/// Starts a clip: the photo is checked and kept at the project's image key, then a generation job is queued on the configured
/// provider with the clip row committed beside it. Regenerating queues a new job for the same photo; the current video stays.
/// </summary>
public sealed class ClipSubmission(
    ProjectStore projects, GenerationSubmission generation, ImageUploads uploads, AssetFetcher fetcher, IObjectStore store,
    JobFinisher finisher, IOptions<GenerationOptions> generationOptions, IOptions<ProjectsOptions> options)
{
    public const int DefaultDurationSec = 5;

    public async Task<ClipResult> CreateAsync(Guid userId, ClipRequest request, CancellationToken ct)
    {
        var validator = new Validator();
        if (request.ProjectId is null) validator.Add("projectId", "is required.");
        var (prompt, duration) = CheckGeneration(validator, request.Prompt, request.DurationSec);
        var hasUrl = !string.IsNullOrWhiteSpace(request.ImageUrl);
        Uri? imageUrl = null;
        if (hasUrl && request.UploadId is not null) validator.Add("uploadId", "cannot be combined with imageUrl; send one image.");
        else if (!hasUrl && request.UploadId is null) validator.Add("imageUrl", "is required: send imageUrl or uploadId.");
        else if (hasUrl && !Uri.TryCreate(request.ImageUrl, UriKind.Absolute, out imageUrl)) validator.Add("imageUrl", "must be an absolute http or https URL.");
        if (request.Order is < 0) validator.Add("order", "must be 0 or more.");
        if (!validator.IsValid) return Invalid(validator);

        var project = await projects.GetAsync(userId, request.ProjectId!.Value, ct);
        if (project is null) return new ClipResult.ProjectNotFound();
        var clips = await projects.ClipsAsync(userId, project.Id, ct);
        if (clips.Count >= options.Value.MaxClipsPerProject) validator.Add("projectId", $"already has {clips.Count} clips, the most a project may hold.");
        if (request.Order > clips.Count) validator.Add("order", $"must be at most {clips.Count}, the number of clips in the project.");
        if (!validator.IsValid) return Invalid(validator);

        var clipId = Guid.CreateVersion7();
        var (image, problem) = await StoreImageAsync(userId, project.Id, clipId, request.UploadId, imageUrl, ct);
        if (image is null) return Invalid(validator.Add(problem!.Value.Path, problem.Value.Message));

        var jobId = Guid.CreateVersion7();
        var result = await generation.SubmitStoredImageAsync(userId, jobId, prompt, duration, image, ct,
            ClipCommands.Insert(jobId, clipId, project, request.Order, image, prompt, duration));
        if (result is SubmitResult.Accepted) return new ClipResult.Started(clipId);
        await store.DeleteAsync(image, CancellationToken.None);
        return new ClipResult.Refused(result);
    }

    public async Task<ClipResult> RegenerateAsync(Guid userId, Guid clipId, CancellationToken ct)
    {
        var clip = await projects.GetClipAsync(userId, clipId, ct);
        if (clip is null) return new ClipResult.ClipNotFound();
        if (clip.Status == ClipStatus.Generating) return new ClipResult.StillGenerating();
        var jobId = Guid.CreateVersion7();
        var result = await generation.SubmitStoredImageAsync(userId, jobId, clip.Prompt, clip.DurationSec, clip.ImageKey, ct, ClipCommands.Regenerate(jobId, clip));
        if (result is not SubmitResult.Accepted) return new ClipResult.Refused(result);
        var current = await projects.GetClipAsync(userId, clipId, ct);
        if (current?.JobId == jobId) return new ClipResult.Started(clipId);
        // Another regeneration (or a deletion) got there first: this job belongs to no clip, so it is canceled and its credits released.
        await finisher.CancelAsync(jobId, userId, CancellationToken.None);
        return current is null ? new ClipResult.ClipNotFound() : new ClipResult.StillGenerating();
    }

    private (string? Prompt, int Duration) CheckGeneration(Validator validator, string? prompt, int? durationSec)
    {
        var trimmed = string.IsNullOrWhiteSpace(prompt) ? null : prompt.Trim();
        validator.MaxLength("prompt", trimmed, generationOptions.Value.MaxPromptLength);
        var duration = durationSec ?? DefaultDurationSec;
        if (!GenerationInput.Durations.Contains(duration)) validator.Add("durationSec", "must be 5, 10 or 15.");
        return (trimmed, duration);
    }

    /// <summary>The photo, checked by its bytes, copied to <c>images/{user}/{project}/{clip}.{ext}</c>.</summary>
    private async Task<(string? Key, (string Path, string Message)? Problem)> StoreImageAsync(
        Guid userId, Guid projectId, Guid clipId, Guid? uploadId, Uri? url, CancellationToken ct)
    {
        if (uploadId is { } id)
        {
            var upload = await uploads.FindAsync(userId, id, ct);
            if (upload is null) return (null, ("uploadId", "names no upload of yours."));
            if (ImageUploads.IsAudio(upload.ContentType)) return (null, ("uploadId", "names an audio upload; send an image."));
            await using var source = await store.OpenReadAsync(upload.StorageKey, ct);
            if (source is null) return (null, ("uploadId", "is no longer stored; upload the image again."));
            var key = StorageKeys.ForProjectImage(userId, projectId, clipId, Path.GetExtension(upload.StorageKey));
            await store.PutAsync(key, source, upload.ContentType, ct);
            return (key, null);
        }
        var max = generationOptions.Value.MaxImageBytes;
        FetchedFile file;
        try
        {
            file = await fetcher.DownloadCachedAsync(url!, new FetchRequest { MaxBytes = max, AcceptedKinds = ContentKinds.Images }, ct);
        }
        catch (FetchException ex)
        {
            return (null, ("imageUrl", ex.Code switch
            {
                FetchErrorCodes.UnsupportedContent => UploadEndpoint.NotAnImageMessage,
                FetchErrorCodes.TooLarge => UploadEndpoint.TooLargeMessage(max),
                _ => $"could not be fetched: {ex.Message}",
            }));
        }
        var (extension, contentType) = file.Kind switch
        {
            ContentKind.Png => ("png", "image/png"),
            ContentKind.Webp => ("webp", "image/webp"),
            _ => ("jpg", "image/jpeg"),
        };
        var stored = StorageKeys.ForProjectImage(userId, projectId, clipId, extension);
        await store.PutFileAsync(stored, file.Path, contentType, ct);
        return (stored, null);
    }

    private static ClipResult.Refused Invalid(Validator validator) => new(new SubmitResult.Invalid(validator.Errors));
}
