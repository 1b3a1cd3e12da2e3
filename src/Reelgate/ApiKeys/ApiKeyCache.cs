using System.Collections.Concurrent;
using Reelgate.Data;

namespace Reelgate.ApiKeys;

/// <summary>
/// Active keys by hash. Entries are dropped when any instance revokes a key or disables a user (NOTIFY on
/// reelgate_auth); while the listener is down nothing is served from the cache.
/// </summary>
public sealed class ApiKeyCache
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<string, (KeyIdentity Identity, DateTime Expires)> _entries = new(StringComparer.Ordinal);
    private readonly Notifications _notifications;
    private long _generation;

    public ApiKeyCache(Notifications notifications)
    {
        _notifications = notifications;
        notifications.Subscribe(Channels.Auth, OnAuthChanged);
    }

    public static string KeyPayload(byte[] hash) => "key:" + Convert.ToHexString(hash);

    public static string UserPayload(Guid userId) => "user:" + userId.ToString("N");

    /// <summary>Read before a database lookup and pass to <see cref="Set"/>: a change seen in between voids the result.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public KeyIdentity? Get(byte[] hash)
    {
        if (!_notifications.IsListening) return null;
        return _entries.TryGetValue(Convert.ToHexString(hash), out var entry) && entry.Expires > DateTime.UtcNow ? entry.Identity : null;
    }

    public void Set(KeyIdentity identity, long generation)
    {
        if (!_notifications.IsListening) return;
        var hash = Convert.ToHexString(identity.KeyHash);
        _entries[hash] = (identity, DateTime.UtcNow + Lifetime);
        if (Generation != generation) _entries.TryRemove(hash, out _);
    }

    private void OnAuthChanged(string payload)
    {
        Interlocked.Increment(ref _generation);
        if (payload.StartsWith("key:", StringComparison.Ordinal))
        {
            _entries.TryRemove(payload[4..], out _);
        }
        else if (payload.StartsWith("user:", StringComparison.Ordinal) && Guid.TryParse(payload[5..], out var userId))
        {
            foreach (var (hash, entry) in _entries)
            {
                if (entry.Identity.UserId == userId) _entries.TryRemove(hash, out _);
            }
        }
        else
        {
            _entries.Clear();
        }
    }
}
