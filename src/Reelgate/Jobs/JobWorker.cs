using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Npgsql;
using Reelgate.Data;
using Reelgate.Generation;
using Reelgate.Rendering;

namespace Reelgate.Jobs;

/// <summary>
/// Claims due jobs and runs them, several at once. Idle loops wake on NOTIFY from a new job, renew their lease
/// while working, and stop a job at once when it is canceled or its lease is lost.
/// </summary>
public sealed class JobWorker(
    JobQueue queue, JobFinisher finisher, IServiceScopeFactory scopes, Notifications notifications, WorkFolders folders,
    WorkerRegistry registry, IOptions<JobsOptions> options, ILogger<JobWorker> logger)
    : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0);
    private readonly ConcurrentDictionary<Guid, CancellationTokenSource> _running = new();

    public Guid Id { get; } = Guid.CreateVersion7();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        notifications.Subscribe(Channels.Jobs, OnNotification);
        try
        {
            await folders.RemoveAbandonedAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(ex, "Could not look for abandoned work folders");
        }
        var concurrency = options.Value.WorkerConcurrency > 0 ? options.Value.WorkerConcurrency : Environment.ProcessorCount;
        var heartbeat = BeatAsync(stoppingToken);
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(() => LoopAsync(stoppingToken), stoppingToken)));
        await heartbeat;
        try
        {
            var released = await registry.LeaveAsync(Id, CancellationToken.None);
            if (released > 0) logger.LogInformation("Handed {Count} interrupted jobs back to the queue", released);
        }
        catch (NpgsqlException ex)
        {
            logger.LogWarning(ex, "Could not hand jobs back on stopping; other workers take them over when this worker's heartbeat goes silent");
        }
    }

    private async Task BeatAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.HeartbeatInterval);
        do
        {
            try
            {
                await registry.BeatAsync(Id, stoppingToken);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                logger.LogWarning(ex, "Worker heartbeat failed");
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try { return await timer.WaitForNextTickAsync(ct); }
        catch (OperationCanceledException) { return false; }
    }

    private void OnNotification(string payload)
    {
        if (payload.StartsWith("cancel:", StringComparison.Ordinal) && Guid.TryParse(payload[7..], out var id))
        {
            if (_running.TryGetValue(id, out var cts)) cts.Cancel();
        }
        else if (!payload.StartsWith("final:", StringComparison.Ordinal) && !payload.StartsWith(UpstreamSignals.Prefix, StringComparison.Ordinal))
        {
            _wake.Release();
        }
    }

    private async Task LoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            JobRecord? job = null;
            try
            {
                job = await queue.ClaimAsync(Id, stoppingToken);
                if (job is null)
                {
                    await _wake.WaitAsync(options.Value.PollInterval, stoppingToken);
                    continue;
                }
                // The wake-up that led here may have been for a job committed after another loop's snapshot: pass it on.
                _wake.Release();
                await RunAsync(job, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Worker loop error (job {JobId})", job?.Id);
                try { await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken); }
                catch (OperationCanceledException) { break; }
            }
        }
    }

    private async Task RunAsync(JobRecord job, CancellationToken stoppingToken)
    {
        using var jobCts = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        _running[job.Id] = jobCts;
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["JobId"] = job.Id });
        var renewal = RenewLeaseAsync(job.Id, jobCts);
        try
        {
            // Every claim counts an attempt, so a job that keeps killing its worker ends here instead of looping.
            if (job.Attempts > job.MaxAttempts)
            {
                await finisher.FailAsync(job.Id, "attempts-exhausted", $"The job was interrupted on each of its {job.MaxAttempts} attempts.", CancellationToken.None);
                return;
            }
            logger.LogInformation("Running {Kind} job {JobId}, attempt {Attempt}", job.Kind, job.Id, job.Attempts);
            await using var services = scopes.CreateAsyncScope();
            var runners = services.ServiceProvider;
            await (job.Provider != "local" ? runners.GetRequiredService<ProviderJobRunner>().RunAsync(job, Id, jobCts.Token)
                : job.Kind == "generation" ? runners.GetRequiredService<LocalGenerationRunner>().RunAsync(job, Id, jobCts.Token)
                : runners.GetRequiredService<RenderJobRunner>().RunAsync(job, Id, jobCts.Token));
        }
        catch (OperationCanceledException) when (jobCts.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
        {
            logger.LogInformation("Job {JobId} stopped: canceled or lease lost", job.Id);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            logger.LogInformation("Job {JobId} interrupted by shutdown; it is handed back for another worker to resume", job.Id);
        }
        catch (TransientJobException ex)
        {
            logger.LogWarning(ex, "Job {JobId} attempt {Attempt} failed transiently", job.Id, job.Attempts);
            if (!await queue.RetryLaterAsync(job, Id, ex.Message, CancellationToken.None))
            {
                await finisher.FailAsync(job.Id, ex.Code, $"{ex.Message} (after {job.Attempts} attempts)", CancellationToken.None);
            }
        }
        catch (JobFailedException ex)
        {
            await finisher.FailAsync(job.Id, ex.Code, ex.Message, CancellationToken.None);
        }
        catch (RenderFailedException ex)
        {
            logger.LogWarning(ex, "ffmpeg failed for job {JobId} ({Code})", job.Id, ex.Code);
            var message = ex.Code == RenderFailedException.Failed ? "The renderer could not produce this Edit." : ex.Message;
            await finisher.FailAsync(job.Id, ex.Code, message, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Anything unforeseen (a store or database hiccup) is retried like a transient failure, then fails the job and releases its credits.
            logger.LogError(ex, "Job {JobId} attempt {Attempt} failed unexpectedly", job.Id, job.Attempts);
            if (!await queue.RetryLaterAsync(job, Id, "an internal error", CancellationToken.None))
            {
                await finisher.FailAsync(job.Id, "internal-error", $"An internal error interrupted the job on each of its {job.Attempts} attempts.", CancellationToken.None);
            }
        }
        finally
        {
            _running.TryRemove(job.Id, out _);
            await jobCts.CancelAsync();
            await renewal;
        }
    }

    private async Task RenewLeaseAsync(Guid jobId, CancellationTokenSource jobCts)
    {
        var interval = options.Value.Lease / 3;
        try
        {
            while (!jobCts.IsCancellationRequested)
            {
                await Task.Delay(interval, jobCts.Token);
                if (!await queue.RenewAsync(jobId, Id, jobCts.Token)) await jobCts.CancelAsync();
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Lease renewal failed for job {JobId}", jobId);
        }
    }
}
