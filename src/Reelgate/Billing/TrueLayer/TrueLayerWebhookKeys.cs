using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Reelgate.Billing.TrueLayer;

/// <summary>
/// TrueLayer's webhook signing keys, per allowed jku, kept for ten minutes. A signature naming a kid not in the cache
/// fetches the JWKS again at once (at most every few seconds), so keys TrueLayer rotates in are used on first sight
/// and made-up kids cannot flood TrueLayer. Only allowed jku values are ever fetched.
/// </summary>
public sealed class TrueLayerWebhookKeys(IHttpClientFactory clients, TrueLayerJwksAllowlist allowlist, IOptions<TrueLayerOptions> options, TimeProvider time,
    ILogger<TrueLayerWebhookKeys> logger)
{
    public const string HttpClientName = "TrueLayerJwks";
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(10);
    private readonly ConcurrentDictionary<string, (IReadOnlyDictionary<string, ECParameters> Keys, DateTimeOffset FetchedAt)> _cache = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _fetching = new(1, 1);

    /// <summary>The key for <paramref name="kid"/> from the JWKS at <paramref name="jku"/>, or null when the jku is not allowed or has no such key.</summary>
    public async Task<ECParameters?> FindAsync(string jku, string kid, CancellationToken ct)
    {
        if (!allowlist.Allows(jku)) return null;
        if (Cached(jku, kid, out var key, out var stale) && !stale) return key;
        await _fetching.WaitAsync(ct);
        try
        {
            if (Cached(jku, kid, out key, out stale) && !stale) return key;
            if (_cache.TryGetValue(jku, out var entry) && time.GetUtcNow() - entry.FetchedAt < options.Value.JwksMinRefetch) return key;
            var json = await clients.CreateClient(HttpClientName).GetStringAsync(jku, ct);
            _cache[jku] = (TlJwks.Parse(json), time.GetUtcNow());
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            logger.LogWarning("Could not fetch TrueLayer's JWKS at {Jku}: {Reason}", jku, ex.Message);
        }
        finally
        {
            _fetching.Release();
        }
        return Cached(jku, kid, out key, out _) ? key : null;
    }

    private bool Cached(string jku, string kid, out ECParameters? key, out bool stale)
    {
        key = null;
        stale = true;
        if (!_cache.TryGetValue(jku, out var entry)) return false;
        stale = time.GetUtcNow() - entry.FetchedAt > MaxAge;
        if (!entry.Keys.TryGetValue(kid, out var found)) return false;
        key = found;
        return true;
    }
}
