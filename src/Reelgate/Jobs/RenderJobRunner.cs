using Microsoft.Extensions.Options;
using Reelgate.Fetch;
using Reelgate.Rendering;
using Reelgate.Storage;
using Reelgate.Telemetry;

namespace Reelgate.Jobs;

/// <summary>Thrown for failures worth another attempt (network trouble fetching an asset, a store hiccup).</summary>
public sealed class TransientJobException(string code, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Code { get; } = code;
}

/// <summary>A failure that retrying cannot fix; the message is shown to the user.</summary>
public sealed class JobFailedException(string code, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Code { get; } = code;
}

/// <summary>Runs a render job on this machine: fetch assets, compile the Edit, run ffmpeg, store the output.</summary>
public sealed class RenderJobRunner(
    JobQueue queue, JobFinisher finisher, AssetFetcher fetcher, MediaProbe probe, FfmpegRunner ffmpeg, IObjectStore store, OwnLinks ownLinks,
    ClipRasterizer rasterizer, RenderLimits limits, IOptions<RenderingOptions> rendering, IOptions<StorageOptions> storage, WorkFolders folders, ILogger<RenderJobRunner> logger)
{
    public async Task RunAsync(JobRecord job, Guid worker, CancellationToken ct)
    {
        var parsed = EditParser.Parse(job.Request, limits);
        if (parsed.Edit is not { } edit) throw new JobFailedException("invalid-edit", "The stored Edit no longer validates.");
        var workDir = folders.For(job);
        Directory.CreateDirectory(workDir);
        try
        {
            await queue.AdvanceAsync(job.Id, worker, JobStatus.Fetching, "Fetching assets", ct);
            var files = await FetchAssetsAsync(job, edit, workDir, ct);
            var media = await probe.ProbeAssetsAsync(edit, files, ct);
            var timeline = TimelineResolver.Resolve(edit, MediaInfo.Durations(media), limits);
            if (!timeline.IsValid) throw new JobFailedException("invalid-edit", string.Join("; ", timeline.Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));

            await queue.AdvanceAsync(job.Id, worker, JobStatus.Rendering, $"Rendering {timeline.TotalSeconds:0.##} s", ct);
            var plan = await RenderAsync(job, worker, edit, timeline, files, media, workDir, ct);

            await queue.AdvanceAsync(job.Id, worker, JobStatus.Saving, "Saving the output", ct);
            var info = edit.Output.IsStill ? null : await probe.ProbeAsync(plan.OutputPath, ct);
            var duration = info?.DurationSeconds ?? 0;
            var stored = await StoreOutputsAsync(job, edit, plan, ct);
            var charge = Pricing.Render(duration, edit.Output.IsStill, timeline.Clips.Count);
            if (!await finisher.CompleteAsync(job.Id, worker, duration, charge, stored, ct))
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

    /// <summary>Draws the html, text and shape clips, then runs ffmpeg on the compiled plan, all in the job's render step.</summary>
    private async Task<FfmpegPlan> RenderAsync(JobRecord job, Guid worker, Edit edit, ResolvedTimeline timeline, Dictionary<string, string> files,
        IReadOnlyDictionary<string, MediaInfo> media, string workDir, CancellationToken ct)
    {
        using var step = ReelgateTelemetry.Step("render", job.Id, job.Kind, job.Provider);
        try
        {
            var drawn = await rasterizer.DrawAsync(edit, timeline, files, workDir, ct);
            var output = Path.Combine(workDir, $"output.{edit.Output.Format}");
            var plan = FfmpegCompiler.Compile(edit, timeline, files, output,
                rendering.Value.ToCompileOptions(ClipRasterizer.AddTo(files, media, drawn)));
            await ffmpeg.RunAsync(plan, new ThrottledProgress(p => queue.ReportProgressAsync(job.Id, worker, p * 0.95, CancellationToken.None)), ct);
            return plan;
        }
        catch (Exception ex) when (step.Failed(ex))
        {
            throw;
        }
    }

    /// <summary>
    /// Downloads every asset into the job's own folder (cached ones are copied there), each checked by content
    /// against the containers its role accepts, so a playlist or manifest never reaches ffmpeg.
    /// </summary>
    private async Task<Dictionary<string, string>> FetchAssetsAsync(JobRecord job, Edit edit, string workDir, CancellationToken ct)
    {
        using var step = ReelgateTelemetry.Step("fetch", job.Id, job.Kind, job.Provider);
        try
        {
            var json = job.Request;
            var files = new Dictionary<string, string>(StringComparer.Ordinal);
            var accepted = EditAssets.AcceptedKinds(edit);
            var paths = AssetPaths.ByUrl(json);
            var index = 0;
            foreach (var url in EditAssets.Urls(edit))
            {
                var where = paths.GetValueOrDefault(url) ?? UrlGuard.Display(new Uri(url));
                try
                {
                    var uri = new Uri(url);
                    var request = new FetchRequest { AcceptedKinds = accepted[url] };
                    var path = Path.Combine(workDir, $"asset-{index++}");
                    if (ownLinks.KeyOf(uri) is { } key)
                    {
                        // A file this server stored (a project's clip or music) was checked by content when it was stored.
                        await CopyStoredAsync(key, path, where, ct);
                    }
                    else if (edit.Timeline.Cache)
                    {
                        var cached = await fetcher.DownloadCachedAsync(uri, request, ct);
                        File.Copy(cached.Path, path, overwrite: true);
                    }
                    else
                    {
                        await fetcher.DownloadAsync(uri, path, request, ct);
                    }
                    files[url] = path;
                }
                catch (FetchException ex) when (ex.Code is FetchErrorCodes.Timeout or FetchErrorCodes.Unreachable || ex.StatusCode >= 500 || ex.StatusCode == 429)
                {
                    throw new TransientJobException("asset-fetch-failed", $"{where}: {ex.Message}", ex);
                }
                catch (FetchException ex) when (ex.Code == FetchErrorCodes.UnsupportedContent)
                {
                    throw new JobFailedException("asset-unsupported", $"{where}: {ex.Message}", ex);
                }
                catch (FetchException ex)
                {
                    throw new JobFailedException("asset-fetch-failed", $"{where}: {ex.Message}", ex);
                }
            }
            return files;
        }
        catch (Exception ex) when (step.Failed(ex))
        {
            throw;
        }
    }

    private async Task CopyStoredAsync(string key, string path, string where, CancellationToken ct)
    {
        await using var source = await store.OpenReadAsync(key, ct)
            ?? throw new JobFailedException("asset-fetch-failed", $"{where}: the stored file is gone.");
        await using var target = File.Create(path);
        await source.CopyToAsync(target, ct);
    }

    private async Task<List<JobFinisher.StoredOutput>> StoreOutputsAsync(JobRecord job, Edit edit, FfmpegPlan plan, CancellationToken ct)
    {
        using var step = ReelgateTelemetry.Step("save", job.Id, job.Kind, job.Provider);
        try
        {
            var prefix = storage.Value.PathPrefix;
            var created = new DateTimeOffset(DateTime.SpecifyKind(job.CreatedAt, DateTimeKind.Utc));
            var kind = edit.Output.IsAudioOnly ? "audio" : edit.Output.IsStill ? "image" : "video";
            var list = new List<JobFinisher.StoredOutput>();
            async Task PutAsync(string outputKind, string key, string path)
            {
                var type = ContentTypes.FromKey(key);
                var stored = await store.PutFileAsync(key, path, type, ct);
                list.Add(new JobFinisher.StoredOutput(outputKind, stored.Key, stored.ContentType, stored.Length));
            }
            await PutAsync(kind, StorageKeys.ForJobOutput(prefix, job.UserId, job.Id, created, edit.Output.Format), plan.OutputPath);
            foreach (var followUp in plan.FollowUps.Where(f => File.Exists(f.OutputPath)))
            {
                var key = followUp.Kind == "poster"
                    ? StorageKeys.ForJobPoster(prefix, job.UserId, job.Id, created)
                    : StorageKeys.ForJobThumbnail(prefix, job.UserId, job.Id, created);
                await PutAsync(followUp.Kind == "poster" ? "poster" : "thumbnail", key, followUp.OutputPath);
            }
            return list;
        }
        catch (Exception ex) when (step.Failed(ex))
        {
            throw;
        }
    }
}
