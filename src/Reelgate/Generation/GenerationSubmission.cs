using Microsoft.Extensions.Options;
using Npgsql;
using Reelgate.Common;
using Reelgate.Fetch;
using Reelgate.Jobs;
using Reelgate.Providers;
using Reelgate.Storage;

namespace Reelgate.Generation;

public sealed record GenerateRequest(string? Prompt, string? ImageUrl, int? DurationSec, long? Seed, string? Ratio, string? Provider, Guid? UploadId = null);

/// <summary>
/// Validates a generation request (a linked image by its bytes, through the fetch guard; an uploaded one was checked
/// when it was stored), holds its price and queues the job.
/// </summary>
public sealed class GenerationSubmission(
    JobAdmission admission, AssetFetcher fetcher, ImageUploads uploads, IObjectStore store, IEnumerable<IProviderAdapter> adapters,
    IOptions<GenerationOptions> options, IOptions<JobsOptions> jobs)
{
    public static readonly string[] Providers = ["local", "runway", "runpod"];

    /// <summary>How long the link handed to an upstream provider for an uploaded image lasts (storage retention may cut it shorter).</summary>
    private static readonly TimeSpan UploadLinkLifetime = TimeSpan.FromHours(24);

    public async Task<SubmitResult> SubmitAsync(Guid userId, GenerateRequest request, CancellationToken ct)
    {
        var settings = options.Value;
        var validator = new Validator();
        if (request.DurationSec is null) validator.Add("durationSec", "is required.");
        else if (!GenerationInput.Durations.Contains(request.DurationSec.Value)) validator.Add("durationSec", "must be 5, 10 or 15.");
        var prompt = string.IsNullOrWhiteSpace(request.Prompt) ? null : request.Prompt.Trim();
        validator.MaxLength("prompt", prompt, settings.MaxPromptLength);
        var hasImageUrl = !string.IsNullOrWhiteSpace(request.ImageUrl);
        if (prompt is null && !hasImageUrl && request.UploadId is null) validator.Add("prompt", "is required when neither imageUrl nor uploadId is given.");
        StoredUpload? upload = null;
        if (request.UploadId is { } uploadId)
        {
            if (hasImageUrl) validator.Add("uploadId", "cannot be combined with imageUrl; send one image.");
            else if ((upload = await uploads.FindAsync(userId, uploadId, ct)) is null) validator.Add("uploadId", "names no upload of yours.");
            else if (ImageUploads.IsAudio(upload.ContentType)) validator.Add("uploadId", "names an audio upload; send an image.");
        }
        var ratio = request.Ratio ?? "16:9";
        if (!GenerationInput.Ratios.Contains(ratio)) validator.Add("ratio", $"must be one of {string.Join(", ", GenerationInput.Ratios)}.");
        if (request.Seed is < 0 or > uint.MaxValue) validator.Add("seed", $"must be between 0 and {uint.MaxValue}.");
        var provider = request.Provider ?? settings.Provider;
        var adapter = adapters.FirstOrDefault(a => a.Name == provider);
        if (!Providers.Contains(provider)) validator.Add("provider", $"must be one of {string.Join(", ", Providers)}.");
        else if (provider != "local" && adapter is not { IsConfigured: true }) validator.Add("provider", $"'{provider}' is not configured on this deployment.");
        Uri? imageUrl = null;
        if (!string.IsNullOrWhiteSpace(request.ImageUrl) && !Uri.TryCreate(request.ImageUrl, UriKind.Absolute, out imageUrl))
        {
            validator.Add("imageUrl", "must be an absolute http or https URL.");
        }
        if (!validator.IsValid) return new SubmitResult.Invalid(validator.Errors);

        var imageLink = upload is null ? imageUrl?.AbsoluteUri
            : (await store.GetDownloadLinkAsync(upload.StorageKey, UploadLinkLifetime, null, ct)).Url.AbsoluteUri;
        var input = new GenerationInput(prompt, imageLink, request.DurationSec!.Value, request.Seed ?? Random.Shared.NextInt64(0, uint.MaxValue), ratio,
            upload?.StorageKey);
        if (adapter is IGenerationProvider generator)
        {
            foreach (var (path, message) in generator.Check(input)) validator.Add(path, message);
            if (!validator.IsValid) return new SubmitResult.Invalid(validator.Errors);
        }
        if (imageUrl is not null)
        {
            try
            {
                await fetcher.DownloadCachedAsync(imageUrl, new FetchRequest { MaxBytes = settings.MaxImageBytes, AcceptedKinds = ContentKinds.Images }, ct);
            }
            catch (FetchException ex)
            {
                var message = ex.Code switch
                {
                    FetchErrorCodes.UnsupportedContent => UploadEndpoint.NotAnImageMessage,
                    FetchErrorCodes.TooLarge => UploadEndpoint.TooLargeMessage(settings.MaxImageBytes),
                    _ => $"could not be fetched: {ex.Message}",
                };
                return new SubmitResult.Invalid(new Dictionary<string, string[]> { ["imageUrl"] = [message] });
            }
        }
        return await QueueAsync(userId, provider, input, ct);
    }

    /// <summary>
    /// Queues a generation from an image already in storage (a project's clip) on the configured provider, with commands
    /// that commit only with the job. The caller has checked the prompt and duration.
    /// </summary>
    public async Task<SubmitResult> SubmitStoredImageAsync(Guid userId, Guid jobId, string? prompt, int durationSec, string imageKey, CancellationToken ct,
        params NpgsqlBatchCommand[] alongside)
    {
        var provider = options.Value.Provider;
        var adapter = adapters.FirstOrDefault(a => a.Name == provider);
        if (provider != "local" && adapter is not { IsConfigured: true })
        {
            return new SubmitResult.Invalid(new Dictionary<string, string[]> { ["provider"] = [$"'{provider}' is not configured on this deployment."] });
        }
        var link = (await store.GetDownloadLinkAsync(imageKey, UploadLinkLifetime, null, ct)).Url.AbsoluteUri;
        var input = new GenerationInput(prompt, link, durationSec, Random.Shared.NextInt64(0, uint.MaxValue), "16:9", imageKey);
        if (adapter is IGenerationProvider generator && generator.Check(input).ToList() is { Count: > 0 } refused)
        {
            return new SubmitResult.Invalid(refused.GroupBy(e => e.Path).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()));
        }
        return await QueueAsync(userId, provider, input, ct, jobId, alongside);
    }

    private async Task<SubmitResult> QueueAsync(Guid userId, string provider, GenerationInput input, CancellationToken ct, Guid? jobId = null,
        params NpgsqlBatchCommand[] alongside)
    {
        var quote = Pricing.Generation(input.DurationSec);
        var job = new JobRecord(jobId ?? Guid.CreateVersion7(), userId, "generation", JobStatus.Queued, 0, provider, input.ToJson(), quote, null, null, null, 0,
            jobs.Value.MaxAttempts, null, DateTime.UtcNow, DateTime.UtcNow, null);
        return await admission.QueueAsync(job, jobs.Value.MaxActivePerUser, ct, alongside);
    }
}
