using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Reelgate.Data;
using Reelgate.Providers;
using Reelgate.Telemetry;

namespace Reelgate.Jobs;

/// <summary>
/// The remote pool. It claims due remote jobs in batches per provider, within the provider's request quota and
/// in-flight limit, runs one short step of each concurrently (submit, one status read, or copy and settle), then
/// parks them again. A parked job holds no thread, loop or request, so one process carries thousands in flight.
/// It wakes on a new remote job, a verified callback, a cancel, or when the earliest parked job falls due.
/// </summary>
public sealed class RemotePoller(
    RemoteQueue remote, IEnumerable<IProviderAdapter> adapters, IServiceScopeFactory scopes,
    JobQueue queue, JobFinisher finisher, Notifications notifications, WorkerIdentity identity, DatabaseAvailability database, IOptions<JobsOptions> options,
    ILogger<RemotePoller> logger) : BackgroundService
{
    private static readonly TimeSpan CancelSweep = TimeSpan.FromSeconds(30);
    /// <summary>
    /// The least time between the starts of two claims that follow a wake: jobs that fall due meanwhile are claimed
    /// together. Under a steady stream of submissions, each NOTIFY would otherwise be a claim of one job, several
    /// statements each; 20 ms delays a job's first step by no more than that.
    /// </summary>
    private static readonly TimeSpan ClaimGap = TimeSpan.FromMilliseconds(20);
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly ConcurrentDictionary<Guid, CancellationTokenSource> _running = new();
    private readonly ConcurrentDictionary<Task, bool> _steps = new();
    private DateTime _nextCancelSweep = DateTime.MinValue;
    private int _cancelsPending;
    private volatile bool _full;
    private long _waitUntil = long.MaxValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        notifications.Subscribe(Channels.Jobs, OnNotification);
        var configured = adapters.Where(a => a.IsConfigured).ToList();
        var lastClaim = 0L;
        var more = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                Volatile.Write(ref _waitUntil, long.MaxValue);
                var sinceLast = Stopwatch.GetElapsedTime(lastClaim);
                if (!more && sinceLast < ClaimGap) await Task.Delay(ClaimGap - sinceLast, stoppingToken);
                // Every signal so far is seen by this claim: a NOTIFY arrives after the commit of what it announces.
                _wake.Reader.TryRead(out _);
                lastClaim = Stopwatch.GetTimestamp();
                (more, var throttled) = await ClaimAllAsync(configured, stoppingToken);
                if (more) continue;
                await SweepCancelsAsync(configured, stoppingToken);
                // Out of room, due jobs wait for a step to end, which wakes the poller; there is no due time to look up.
                await WaitAsync(_full ? options.Value.PollInterval : await IdleWaitAsync(configured, throttled, stoppingToken), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                if (!database.RecordIfOutage(ex)) logger.LogError(ex, "Remote poller error");
                await WaitAsync(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
        await Task.WhenAll(_steps.Keys);
    }

    /// <summary>
    /// One claim per provider. More may be due when a claim took all it asked for; when every claim took less, nothing
    /// else is due now, and the poller waits for a signal or the next check instead of asking again at once.
    /// </summary>
    private async Task<(bool More, TimeSpan? Throttled)> ClaimAllAsync(List<IProviderAdapter> configured, CancellationToken ct)
    {
        var more = false;
        TimeSpan? throttled = null;
        _full = false;
        foreach (var adapter in configured)
        {
            var room = options.Value.RemoteConcurrency - _steps.Count;
            if (room <= 0)
            {
                // A step that ends makes room and wakes the poller for it; one that ended before the flag was up is seen here.
                _full = true;
                more = _steps.Count < options.Value.RemoteConcurrency;
                break;
            }
            var (jobs, allowed) = await remote.ClaimAsync(adapter.Name, identity.Id, room, adapter.MaxInFlight, adapter.MaxRequestsPerSecond, ct);
            foreach (var job in jobs) Start(job, ct);
            if (allowed == 0)
            {
                throttled = TimeSpan.FromSeconds(1 / adapter.MaxRequestsPerSecond);
            }
            else if (jobs.Count == allowed)
            {
                more = true;
                if (allowed == room) _full = true;
            }
        }
        return (more, throttled);
    }

    private void Start(RemoteJob job, CancellationToken stoppingToken)
    {
        var step = Task.Run(() => StepAsync(job, stoppingToken), CancellationToken.None);
        _steps[step] = true;
        step.ContinueWith(done =>
        {
            _steps.TryRemove(done, out _);
            if (_full) Wake();
        }, TaskScheduler.Default);
    }

    private async Task StepAsync(RemoteJob job, CancellationToken stoppingToken)
    {
        ReelgateTelemetry.Claimed(job.Id, job.Kind, job.Provider, new DateTimeOffset(DateTime.SpecifyKind(job.ClaimedAt, DateTimeKind.Utc)));
        using var stepCts = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        _running[job.Id] = stepCts;
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["JobId"] = job.Id });
        var renewal = queue.KeepLeaseAsync(job.Id, identity.Id, stepCts, logger);
        try
        {
            await using var services = scopes.CreateAsyncScope();
            var end = await services.ServiceProvider.GetRequiredService<ProviderJobRunner>().StepAsync(job, identity.Id, stepCts.Token);
            if (end is StepEnd.Parked parked)
            {
                await remote.ParkAsync(job, identity.Id, parked.After, parked.PollStep, parked.Moved, CancellationToken.None);
                WakeIfSooner(parked.After);
            }
            else if (end is StepEnd.ParkedItself itself)
            {
                WakeIfSooner(itself.After);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown: the job is handed back due now, for this or another process to take up where it stands.
            await remote.ParkAsync(job, identity.Id, TimeSpan.Zero, job.PollStep, null, CancellationToken.None);
        }
        catch (OperationCanceledException) when (stepCts.IsCancellationRequested)
        {
            logger.LogInformation("Step of job {JobId} stopped: canceled or lease lost", job.Id);
        }
        catch (JobFailedException ex)
        {
            await finisher.FailAsync(job.Id, ex.Code, ex.Message, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Transient trouble (an output download, a store or database hiccup) spends an attempt, then fails the job.
            var transient = ex as TransientJobException;
            if (transient is null && !database.RecordIfOutage(ex)) logger.LogError(ex, "Step of job {JobId} failed unexpectedly", job.Id);
            else logger.LogWarning(ex, "Step of job {JobId} failed transiently", job.Id);
            if (await remote.RetryLaterAsync(job, identity.Id, transient?.Message ?? "an internal error", CancellationToken.None))
            {
                Wake();
            }
            else
            {
                await finisher.FailAsync(job.Id, transient?.Code ?? "internal-error",
                    $"{transient?.Message ?? "An internal error interrupted the job"} (after {job.MaxAttempts} attempts)", CancellationToken.None);
            }
        }
        finally
        {
            _running.TryRemove(job.Id, out _);
            await stepCts.CancelAsync();
            await renewal;
        }
    }

    /// <summary>Parked jobs canceled by their users are canceled upstream, when a cancel was announced and every half minute.</summary>
    private async Task SweepCancelsAsync(List<IProviderAdapter> configured, CancellationToken ct)
    {
        if (Interlocked.Exchange(ref _cancelsPending, 0) == 0 && DateTime.UtcNow < _nextCancelSweep) return;
        _nextCancelSweep = DateTime.UtcNow + CancelSweep;
        foreach (var adapter in configured)
        {
            foreach (var (jobId, upstreamId) in await remote.ClaimUpstreamCancelsAsync(adapter.Name, 100, ct))
            {
                logger.LogInformation("Canceling {Provider} job {UpstreamId} of canceled job {JobId}", adapter.Name, upstreamId, jobId);
                await adapter.CancelAsync(upstreamId, ct);
            }
        }
    }

    private async Task<TimeSpan> IdleWaitAsync(List<IProviderAdapter> configured, TimeSpan? throttled, CancellationToken ct)
    {
        var wait = options.Value.PollInterval;
        if (configured.Count > 0 && await remote.NextDueAsync(configured.ConvertAll(a => a.Name), ct) is { } due)
        {
            var untilDue = DateTime.SpecifyKind(due, DateTimeKind.Utc) - DateTime.UtcNow;
            if (untilDue < wait) wait = untilDue;
        }
        if (throttled is { } t && t < wait) wait = t;
        return wait < TimeSpan.FromMilliseconds(10) ? TimeSpan.FromMilliseconds(10) : wait;
    }

    private void OnNotification(string payload)
    {
        if (payload.StartsWith("cancel:", StringComparison.Ordinal) && Guid.TryParse(payload.AsSpan(7), out var id))
        {
            if (_running.TryGetValue(id, out var cts)) cts.Cancel();
            Interlocked.Exchange(ref _cancelsPending, 1);
            Wake();
        }
        else if (payload.StartsWith(RemoteSignals.Prefix, StringComparison.Ordinal) || payload == WorkerRegistry.Released
            || payload.StartsWith("final:", StringComparison.Ordinal))
        {
            // A new remote job, a callback, jobs handed back, or a job that ended and may have freed a place upstream.
            Wake();
        }
    }

    private void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>
    /// A job parked by a step is due <paramref name="after"/> from now; the poller is woken to look again when that is
    /// before the end of its wait, which was set from the parked jobs it knew of. While it claims, any park wakes it.
    /// </summary>
    private void WakeIfSooner(TimeSpan after)
    {
        if ((DateTime.UtcNow + after).Ticks < Volatile.Read(ref _waitUntil)) Wake();
    }

    private async Task WaitAsync(TimeSpan timeout, CancellationToken ct)
    {
        Volatile.Write(ref _waitUntil, (DateTime.UtcNow + timeout).Ticks);
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timer.CancelAfter(timeout);
        try
        {
            await _wake.Reader.ReadAsync(timer.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // The wait ran out: time to look again.
        }
    }
}
