using Microsoft.Extensions.Options;
using Reelgate.Fetch;
using Reelgate.Jobs;
using Reelgate.Rendering;
using Reelgate.Storage;
using Reelgate.Telemetry;

namespace Reelgate.Generation;

/// <summary>Runs a generation with provider local: a pan/zoom clip from the image, or a title card of the prompt, stored as mp4.</summary>
public sealed class LocalGenerationRunner(
    JobQueue queue, JobFinisher finisher, AssetFetcher fetcher, MediaProbe probe, FfmpegRunner ffmpeg, IObjectStore store,
    IOptions<GenerationOptions> generation, IOptions<RenderingOptions> rendering, IOptions<StorageOptions> storage, WorkFolders folders, ILogger<LocalGenerationRunner> logger)
{
    public async Task RunAsync(JobRecord job, Guid worker, CancellationToken ct)
    {
        var input = GenerationInput.FromJson(job.Request);
        var settings = generation.Value;
        var workDir = folders.For(job);
        Directory.CreateDirectory(workDir);
        try
        {
            var output = Path.Combine(workDir, "output.mp4");
            FfmpegPlan plan;
            if (input.ImageKey is not null || input.ImageUrl is not null)
            {
                await queue.AdvanceAsync(job.Id, worker, JobStatus.Fetching, "Fetching the image", ct);
                var image = await FetchAsync(job, input, settings.MaxImageBytes, workDir, ct);
                plan = LocalMotion.PanZoom(image, output, input, settings.LocalShortSide, settings.LocalFps, rendering.Value);
            }
            else
            {
                plan = LocalMotion.TitleCard(output, workDir, input, settings.LocalShortSide, settings.LocalFps, rendering.Value);
            }
            await queue.AdvanceAsync(job.Id, worker, JobStatus.Rendering, $"Generating a {input.DurationSec} s clip locally", ct);
            using (var step = ReelgateTelemetry.Step("render", job.Id, job.Kind, job.Provider))
            {
                try
                {
                    await ffmpeg.RunAsync(plan, new ThrottledProgress(p => queue.ReportProgressAsync(job.Id, worker, p * 0.95, CancellationToken.None)), ct);
                }
                catch (Exception ex) when (step.Failed(ex))
                {
                    throw;
                }
            }

            await queue.AdvanceAsync(job.Id, worker, JobStatus.Saving, "Saving the clip", ct);
            var (duration, stored) = await SaveAsync(job, output, ct);
            if (!await finisher.CompleteAsync(job.Id, worker, duration, Pricing.Generation(input.DurationSec),
                    [new JobFinisher.StoredOutput("video", stored.Key, stored.ContentType, stored.Length)], ct))
            {
                logger.LogInformation("Job {JobId} ended elsewhere before it could complete here", job.Id);
            }
        }
        finally
        {
            try { Directory.Delete(workDir, recursive: true); }
            catch (IOException ex) { logger.LogWarning(ex, "Could not clean {WorkDir}", workDir); }
        }
    }

    private async Task<string> FetchAsync(JobRecord job, GenerationInput input, long maxBytes, string workDir, CancellationToken ct)
    {
        using var step = ReelgateTelemetry.Step("fetch", job.Id, job.Kind, job.Provider);
        try
        {
            return input.ImageKey is { } imageKey
                ? await CopyUploadAsync(imageKey, workDir, ct)
                : await FetchImageAsync(new Uri(input.ImageUrl!), maxBytes, workDir, ct);
        }
        catch (Exception ex) when (step.Failed(ex))
        {
            throw;
        }
    }

    private async Task<(double Duration, StoredObject Stored)> SaveAsync(JobRecord job, string output, CancellationToken ct)
    {
        using var step = ReelgateTelemetry.Step("save", job.Id, job.Kind, job.Provider);
        try
        {
            var duration = (await probe.ProbeAsync(output, ct)).DurationSeconds;
            var created = new DateTimeOffset(DateTime.SpecifyKind(job.CreatedAt, DateTimeKind.Utc));
            var key = StorageKeys.ForJobOutput(storage.Value.PathPrefix, job.UserId, job.Id, created, "mp4");
            return (duration, await store.PutFileAsync(key, output, "video/mp4", ct));
        }
        catch (Exception ex) when (step.Failed(ex))
        {
            throw;
        }
    }

    private async Task<string> CopyUploadAsync(string key, string workDir, CancellationToken ct)
    {
        await using var source = await store.OpenReadAsync(key, ct)
            ?? throw new JobFailedException("image-missing", "The uploaded image is no longer stored; upload it again.");
        var path = Path.Combine(workDir, "image" + Path.GetExtension(key));
        await using var target = File.Create(path);
        await source.CopyToAsync(target, ct);
        return path;
    }

    /// <summary>The image is copied out of the shared cache: ffmpeg reads nothing outside the job's own folder.</summary>
    private async Task<string> FetchImageAsync(Uri url, long maxBytes, string workDir, CancellationToken ct)
    {
        try
        {
            var request = new FetchRequest { MaxBytes = maxBytes, AcceptedKinds = ContentKinds.Images };
            var cached = await fetcher.DownloadCachedAsync(url, request, ct);
            var path = Path.Combine(workDir, "image");
            File.Copy(cached.Path, path, overwrite: true);
            return path;
        }
        catch (FetchException ex) when (ex.Code is FetchErrorCodes.Timeout or FetchErrorCodes.Unreachable || ex.StatusCode is >= 500 or 429)
        {
            throw new TransientJobException("image-fetch-failed", ex.Message, ex);
        }
        catch (FetchException ex)
        {
            throw new JobFailedException("image-fetch-failed", ex.Message, ex);
        }
    }
}
