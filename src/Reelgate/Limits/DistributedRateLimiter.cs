using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Reelgate.Data;

namespace Reelgate.Limits;

public sealed record RateDecision(bool Allowed, int Limit, long Remaining, int ResetSeconds, bool StoreFailed = false);

/// <summary>
/// A sliding-window limit shared by all instances through PostgreSQL without a write per request: each process
/// serves from its last view of the window and reports what it served in batches. The batch shrinks as the
/// window fills (a tenth of what is left), so near the limit every request is checked against the database and
/// instances together overshoot by at most a few requests.
/// </summary>
public sealed class DistributedRateLimiter(
    RateLimitStore store, DatabaseAvailability database, IOptions<RateLimitOptions> options, TimeProvider clock, ILogger<DistributedRateLimiter> logger)
{
    private readonly ConcurrentDictionary<string, KeyState> _keys = new(StringComparer.Ordinal);
    private readonly RateLimitOptions _options = options.Value;

    public RateLimitOptions Options => _options;

    public async Task<RateDecision> AcquireAsync(string limiterKey, int limit, int windowSeconds, CancellationToken ct)
    {
        var state = _keys.GetOrAdd(limiterKey, _ => new KeyState());
        if (TryServeLocally(state, limit, windowSeconds) is { } local)
        {
            if (local.Allowed && ShouldRefreshAhead(state)) _ = RefreshAheadAsync(limiterKey, state);
            return local;
        }

        await state.Sync.WaitAsync(ct);
        try
        {
            // Whoever held the semaphore before us may have just synced: serve from that view instead of queueing
            // one database round trip per waiting request.
            if (TryServeLocally(state, limit, windowSeconds) is { } refreshed) return refreshed;
            int served;
            lock (state) { served = state.Pending; state.Pending = 0; }
            WindowState window;
            try
            {
                window = await store.ReportAsync(limiterKey, served, wantOne: true, limit, windowSeconds, BucketSeconds(windowSeconds), ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                lock (state) state.Pending += served + (_options.FailClosed ? 0 : 1);
                if (!database.RecordIfOutage(ex)) logger.LogError(ex, "Rate limit store failed; {Behaviour}", _options.FailClosed ? "refusing" : "serving");
                return new RateDecision(!_options.FailClosed, limit, 0, windowSeconds, StoreFailed: true);
            }
            var now = clock.GetUtcNow();
            lock (state)
            {
                state.Limit = limit;
                state.Window = windowSeconds;
                state.Used = window.Used;
                state.SyncedAt = now;
                state.ResetAt = now.AddSeconds(window.ResetSeconds);
                state.DeniedUntil = window.Allowed ? DateTimeOffset.MinValue : state.ResetAt;
                return window.Allowed
                    ? new RateDecision(true, limit, Math.Max(0, limit - window.Used), Reset(state, now))
                    : Denied(state, limit, now);
            }
        }
        finally
        {
            state.Sync.Release();
        }
    }

    /// <summary>Reports what was served but not yet recorded (periodically and at shutdown).</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        foreach (var (key, state) in _keys)
        {
            if (state.Pending == 0 || !await state.Sync.WaitAsync(0, ct)) continue;
            try
            {
                await ReportPendingAsync(key, state, ct);
            }
            finally
            {
                state.Sync.Release();
            }
        }
    }

    /// <summary>
    /// Half-way through a batch (or a sync interval) one request starts a report in the background, so the others
    /// keep being served from the local view instead of all waiting for the database when the batch runs out.
    /// </summary>
    private bool ShouldRefreshAhead(KeyState state)
    {
        lock (state)
        {
            if (state.Refreshing) return false;
            var batch = Math.Min(_options.MaxBatch, (state.Limit - state.Used - state.Pending) / 10);
            if (state.Pending < batch / 2 && clock.GetUtcNow() - state.SyncedAt < _options.SyncInterval / 2) return false;
            state.Refreshing = true;
            return true;
        }
    }

    private async Task RefreshAheadAsync(string key, KeyState state)
    {
        await Task.Yield();
        try
        {
            if (!await state.Sync.WaitAsync(0)) return;
            try
            {
                await ReportPendingAsync(key, state, CancellationToken.None);
            }
            finally
            {
                state.Sync.Release();
            }
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not refresh rate limit usage");
        }
        finally
        {
            lock (state) state.Refreshing = false;
        }
    }

    /// <summary>Reports what was served since the last report; the caller holds <see cref="KeyState.Sync"/>.</summary>
    private async Task ReportPendingAsync(string key, KeyState state, CancellationToken ct)
    {
        int served;
        lock (state) { served = state.Pending; state.Pending = 0; }
        if (served == 0) return;
        try
        {
            var window = await store.ReportAsync(key, served, wantOne: false, state.Limit, state.Window, BucketSeconds(state.Window), ct);
            var now = clock.GetUtcNow();
            lock (state)
            {
                state.Used = window.Used;
                state.SyncedAt = now;
                state.ResetAt = now.AddSeconds(window.ResetSeconds);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            lock (state) state.Pending += served;
            if (!database.RecordIfOutage(ex)) logger.LogWarning(ex, "Could not report rate limit usage");
        }
    }

    private RateDecision? TryServeLocally(KeyState state, int limit, int windowSeconds)
    {
        var now = clock.GetUtcNow();
        lock (state)
        {
            if (state.Limit != limit || state.Window != windowSeconds) return null;
            if (now < state.DeniedUntil) return Denied(state, limit, now);
            var remaining = limit - state.Used - state.Pending;
            var batch = Math.Min(_options.MaxBatch, remaining / 10);
            if (state.Pending >= batch || now - state.SyncedAt >= _options.SyncInterval) return null;
            state.Pending++;
            return new RateDecision(true, limit, remaining - 1, Reset(state, now));
        }
    }

    private int BucketSeconds(int windowSeconds) => Math.Max(1, windowSeconds / Math.Max(1, _options.Buckets));

    private static int Reset(KeyState state, DateTimeOffset now) =>
        (int)Math.Ceiling(Math.Max(0, (state.ResetAt - now).TotalSeconds));

    private static RateDecision Denied(KeyState state, int limit, DateTimeOffset now) =>
        new(false, limit, 0, Math.Max(1, Reset(state, now)));

    private sealed class KeyState
    {
        public readonly SemaphoreSlim Sync = new(1, 1);
        public int Limit;
        public int Window;
        public long Used;
        public int Pending;
        public bool Refreshing;
        public DateTimeOffset SyncedAt = DateTimeOffset.MinValue;
        public DateTimeOffset ResetAt;
        public DateTimeOffset DeniedUntil = DateTimeOffset.MinValue;
    }
}
