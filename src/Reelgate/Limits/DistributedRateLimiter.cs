using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Reelgate.Limits;

public sealed record RateDecision(bool Allowed, int Limit, long Remaining, int ResetSeconds, bool StoreFailed = false);

/// <summary>
/// A sliding-window limit shared by all instances through PostgreSQL without a write per request: each process
/// serves from its last view of the window and reports what it served in batches. The batch shrinks as the
/// window fills (a tenth of what is left), so near the limit every request is checked against the database and
/// instances together overshoot by at most a few requests.
/// </summary>
public sealed class DistributedRateLimiter(RateLimitStore store, IOptions<RateLimitOptions> options, TimeProvider clock, ILogger<DistributedRateLimiter> logger)
{
    private readonly ConcurrentDictionary<string, KeyState> _keys = new(StringComparer.Ordinal);
    private readonly RateLimitOptions _options = options.Value;

    public RateLimitOptions Options => _options;

    public async Task<RateDecision> AcquireAsync(string limiterKey, int limit, int windowSeconds, CancellationToken ct)
    {
        var state = _keys.GetOrAdd(limiterKey, _ => new KeyState());
        var now = clock.GetUtcNow();
        lock (state)
        {
            if (state.Limit == limit && state.Window == windowSeconds)
            {
                if (now < state.DeniedUntil) return Denied(state, limit, now);
                var remaining = limit - state.Used - state.Pending;
                var batch = Math.Min(_options.MaxBatch, remaining / 10);
                if (state.Pending < batch && now - state.SyncedAt < _options.SyncInterval)
                {
                    state.Pending++;
                    return new RateDecision(true, limit, remaining - 1, Reset(state, now));
                }
            }
        }

        await state.Sync.WaitAsync(ct);
        try
        {
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
                logger.LogError(ex, "Rate limit store unavailable; {Behaviour}", _options.FailClosed ? "refusing" : "serving");
                return new RateDecision(!_options.FailClosed, limit, 0, windowSeconds, StoreFailed: true);
            }
            now = clock.GetUtcNow();
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
                int served;
                lock (state) { served = state.Pending; state.Pending = 0; }
                if (served == 0) continue;
                try
                {
                    var window = await store.ReportAsync(key, served, wantOne: false, state.Limit, state.Window, BucketSeconds(state.Window), ct);
                    lock (state) { state.Used = window.Used; state.SyncedAt = clock.GetUtcNow(); }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    lock (state) state.Pending += served;
                    logger.LogWarning(ex, "Could not report rate limit usage");
                }
            }
            finally
            {
                state.Sync.Release();
            }
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
        public DateTimeOffset SyncedAt = DateTimeOffset.MinValue;
        public DateTimeOffset ResetAt;
        public DateTimeOffset DeniedUntil = DateTimeOffset.MinValue;
    }
}
