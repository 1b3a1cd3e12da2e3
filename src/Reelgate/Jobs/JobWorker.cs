using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Reelgate.Data;
using Reelgate.Generation;
using Reelgate.Rendering;

namespace Reelgate.Jobs;

/// <summary>
/// Claims due jobs and runs them, several at once. Idle loops wake on NOTIFY from a new job, renew their lease
/// while working, and stop a job at once when it is canceled or its lease is lost.
/// </summary>
public sealed class JobWorker(
    JobQueue queue, JobFinisher finisher, IServiceScopeFactory scopes, Notifications notifications, DatabaseAvailability database,
    IOptions<JobsOptions> options, ILogger<JobWorker> logger) : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0);
    private readonly ConcurrentDictionary<Guid, CancellationTokenSource> _running = new();

    public Guid Id { get; } = Guid.CreateVersion7();

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        notifications.Subscribe(Channels.Jobs, OnNotification);
        var concurrency = options.Value.WorkerConcurrency > 0 ? options.Value.WorkerConcurrency : Environment.ProcessorCount;
        return Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(() => LoopAsync(stoppingToken), stoppingToken)));
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
                if (!database.RecordIfOutage(ex)) logger.LogError(ex, "Worker loop error (job {JobId})", job?.Id);
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
            logger.LogInformation("Job {JobId} interrupted by shutdown; its lease will expire and another worker resumes it", job.Id);
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
            logger.LogWarning(ex, "ffmpeg failed for job {JobId}", job.Id);
            await finisher.FailAsync(job.Id, "render-failed", "The renderer could not produce this Edit.", CancellationToken.None);
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
                bool renewed;
                try
                {
                    renewed = await queue.RenewAsync(jobId, Id, jobCts.Token);
                }
                catch (Exception ex) when (DatabaseOutage.Is(ex))
                {
                    // The lease is still ours when the database returns unless another worker took the job meanwhile: keep trying.
                    database.RecordIfOutage(ex);
                    continue;
                }
                if (!renewed) await jobCts.CancelAsync();
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
