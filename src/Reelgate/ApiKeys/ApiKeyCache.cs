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

    public ApiKeyCache(Notifications notifications)
    {
        _notifications = notifications;
        notifications.Subscribe(Channels.Auth, OnAuthChanged);
    }

    public static string KeyPayload(byte[] hash) => "key:" + Convert.ToHexString(hash);

    public static string UserPayload(Guid userId) => "user:" + userId.ToString("N");

    public KeyIdentity? Get(byte[] hash)
    {
        if (!_notifications.IsListening) return null;
        return _entries.TryGetValue(Convert.ToHexString(hash), out var entry) && entry.Expires > DateTime.UtcNow ? entry.Identity : null;
    }

    public void Set(KeyIdentity identity)
    {
        if (_notifications.IsListening) _entries[Convert.ToHexString(identity.KeyHash)] = (identity, DateTime.UtcNow + Lifetime);
    }

    private void OnAuthChanged(string payload)
    {
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
