namespace Reelgate.Data;

/// <summary>
/// The loop of an outbox delivered over HTTP: wakes when a job ends (its final or cancel NOTIFY) or on the poll
/// interval, claims due rows and delivers them in parallel; a full batch is followed at once by the next.
/// </summary>
public abstract class OutboxSender<TRow>(Notifications notifications, DatabaseAvailability database, ILogger logger) : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    protected abstract int BatchSize { get; }

    protected abstract TimeSpan PollInterval { get; }

    /// <summary>Claims up to <paramref name="limit"/> due rows, leasing them so no other sender takes them meanwhile.</summary>
    protected abstract Task<IReadOnlyList<TRow>> ClaimDueAsync(int limit, CancellationToken ct);

    /// <summary>Makes one attempt and records it; failures are recorded as attempts, never thrown.</summary>
    protected abstract Task DeliverAsync(TRow row, CancellationToken stoppingToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        notifications.Subscribe(Channels.Jobs, payload =>
        {
            if (payload.StartsWith("final:", StringComparison.Ordinal) || payload.StartsWith("cancel:", StringComparison.Ordinal)) Wake();
        });
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var batch = BatchSize;
                var due = await ClaimDueAsync(batch, stoppingToken);
                await Task.WhenAll(due.Select(row => DeliverAsync(row, stoppingToken)));
                if (due.Count == batch) continue;
                await _wake.WaitAsync(PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                if (!database.RecordIfOutage(ex)) logger.LogError(ex, "{Sender} loop error", GetType().Name);
                try { await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken); }
                catch (OperationCanceledException) { break; }
            }
        }
    }

    private void Wake()
    {
        try { _wake.Release(); }
        catch (SemaphoreFullException) { }
    }
}
