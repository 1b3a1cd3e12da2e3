using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Reelgate.Fetch;
using Reelgate.Generation;
using Reelgate.Providers;
using Reelgate.Rendering;
using Reelgate.Storage;
using Reelgate.Telemetry;

namespace Reelgate.Jobs;

/// <summary>
/// Copies an upstream's output into our storage (their links expire) and completes the job with the same pricing as
/// local jobs. A link that fails is retried with a fresh one from the upstream, then the job fails.
/// </summary>
public sealed class ProviderOutputs(
    AssetFetcher fetcher, MediaProbe probe, IObjectStore store, JobFinisher finisher, JobStore jobStore, IOptions<StorageOptions> storage,
    WorkFolders folders, IOptions<ProvidersOptions> providers, ILogger<ProviderOutputs> logger)
{
    public async Task CompleteAsync(JobRecord job, Guid worker, IProviderAdapter adapter, string upstreamId, UpstreamStatus status, CancellationToken ct)
    {
        using var step = ReelgateTelemetry.Step("save", job.Id, job.Kind, job.Provider);
        var format = job.Kind == "render" ? RenderFormat(job.Request) : "mp4";
        var workDir = folders.For(job);
        Directory.CreateDirectory(workDir);
        try
        {
            var (path, link) = await DownloadAsync(job, adapter, upstreamId, status.OutputUrl!, Path.Combine(workDir, $"output.{format}"), ct);
            var still = format is "jpg" or "png" or "bmp";
            double duration;
            try
            {
                duration = still ? 0 : (format == "mp4" ? Mp4Duration.Read(path) : null) ?? (await probe.ProbeAsync(path, ct)).DurationSeconds;
            }
            catch (RenderFailedException ex)
            {
                throw new JobFailedException("output-invalid", $"{adapter.Name} delivered a file that is not readable media.", ex);
            }
            var charge = job.Kind == "render" ? Pricing.Render(duration, still) : Pricing.Generation(GenerationInput.FromJson(job.Request).DurationSec);
            var created = new DateTimeOffset(DateTime.SpecifyKind(job.CreatedAt, DateTimeKind.Utc));
            var key = StorageKeys.ForJobOutput(storage.Value.PathPrefix, job.UserId, job.Id, created, format);
            var stored = await store.PutFileAsync(key, path, ContentTypes.FromKey(key), ct);
            var kind = format == "mp3" ? "audio" : still ? "image" : "video";
            await jobStore.RecordProviderOutputAsync(job.Id, link, DateTime.UtcNow + providers.Value.OutputLinkValidity, ct);
            if (!await finisher.CompleteAsync(job.Id, worker, duration, charge, [new JobFinisher.StoredOutput(kind, stored.Key, stored.ContentType, stored.Length)], ct))
            {
                logger.LogInformation("Job {JobId} ended elsewhere before it could complete here", job.Id);
            }
        }
        catch (Exception ex) when (step.Failed(ex))
        {
            throw;
        }
        finally
        {
            try { Directory.Delete(workDir, recursive: true); }
            catch (IOException ex) { logger.LogWarning(ex, "Could not clean {WorkDir}", workDir); }
        }
    }

    private async Task<(string Path, string Url)> DownloadAsync(JobRecord job, IProviderAdapter adapter, string upstreamId, string url, string path, CancellationToken ct)
    {
        var attempts = Math.Max(1, providers.Value.OutputAttempts);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var file = await fetcher.DownloadAsync(new Uri(url), path, new FetchRequest { MaxBytes = providers.Value.MaxOutputBytes }, ct);
                return (file.Path, url);
            }
            catch (FetchException ex) when (IsRetryable(ex))
            {
                // Output links are signed and short-lived; never echo them, they work as credentials.
                var reason = ex.StatusCode is { } code ? $"the output link answered {code}" : $"the output download failed ({ex.Code})";
                if (attempt >= attempts)
                {
                    throw new JobFailedException("output-unavailable", $"Could not copy the output from {adapter.Name}: {reason} on each of {attempts} attempts.", ex);
                }
                logger.LogWarning("Job {JobId}: {Reason} (attempt {Attempt} of {Attempts}); asking {Provider} for a fresh link", job.Id, reason, attempt, attempts, adapter.Name);
                await Task.Delay(providers.Value.OutputRetryDelay * attempt, ct);
                if (await adapter.GetStatusAsync(upstreamId, ct) is ProviderResult.Accepted { Status: { Phase: UpstreamPhase.Succeeded, OutputUrl: { } fresh } }) url = fresh;
            }
            catch (FetchException ex)
            {
                throw new JobFailedException("output-unavailable", $"Could not copy the output from {adapter.Name}: {ex.Code}.", ex);
            }
        }
    }

    private static bool IsRetryable(FetchException ex) =>
        ex.Code is FetchErrorCodes.Timeout or FetchErrorCodes.Unreachable || ex.StatusCode is 403 or 404 or 408 or 410 or 429 or >= 500;

    private static string RenderFormat(string edit) =>
        JsonNode.Parse(edit)?["output"]?["format"]?.GetValue<string>() is { } format && EditVocabulary.Formats.Contains(format) ? format : "mp4";
}
