using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Npgsql;
using Reelgate.Data;
using Reelgate.Generation;
using Reelgate.Rendering;

namespace Reelgate.Jobs;

/// <summary>
/// The local pool: claims due local jobs (ffmpeg renders, local generation) and runs them, one per core by default. Idle loops wake on NOTIFY from a new job, renew their lease
/// while working, and stop a job at once when it is canceled or its lease is lost.
/// </summary>
public sealed class JobWorker(
    JobQueue queue, JobFinisher finisher, IServiceScopeFactory scopes, Notifications notifications, WorkFolders folders,
    WorkerIdentity identity, DatabaseAvailability database, IOptions<JobsOptions> options, ILogger<JobWorker> logger)
    : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0);
    private readonly ConcurrentDictionary<Guid, CancellationTokenSource> _running = new();

    public Guid Id => identity.Id;

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
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(() => LoopAsync(stoppingToken), stoppingToken)));
    }

    private void OnNotification(string payload)
    {
        if (payload.StartsWith("cancel:", StringComparison.Ordinal) && Guid.TryParse(payload[7..], out var id))
        {
            if (_running.TryGetValue(id, out var cts)) cts.Cancel();
        }
        else if (Guid.TryParse(payload, out _) || payload == WorkerRegistry.Released)
        {
            // A new local job (its id) or jobs handed back by a stopping worker.
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
        var renewal = queue.KeepLeaseAsync(job.Id, Id, jobCts, logger);
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
            await (job.Kind == "generation" ? runners.GetRequiredService<LocalGenerationRunner>().RunAsync(job, Id, jobCts.Token)
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
}
