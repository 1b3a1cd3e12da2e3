using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authentication.Cookies;
using Reelgate.Common;
using Reelgate.Data;

namespace Reelgate.Accounts;

/// <summary>
/// Ends cookie sessions that were signed out or whose user was disabled; the answer is cached briefly, dropped on
/// NOTIFY, and not cached at all while the listener is down.
/// </summary>
public sealed class SessionValidation
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<Guid, (Guid UserId, bool Active, DateTime Expires)> _sessions = new();
    private readonly Sessions _store;
    private readonly Notifications _notifications;

    public SessionValidation(Sessions store, Notifications notifications)
    {
        _store = store;
        _notifications = notifications;
        notifications.Subscribe(Channels.Auth, OnAuthChanged);
    }

    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        if (context.Principal is not { } principal
            || !Guid.TryParse(principal.FindFirst(ClaimNames.UserId)?.Value, out var userId)
            || !Guid.TryParse(principal.FindFirst(ClaimNames.SessionId)?.Value, out var sessionId))
        {
            context.RejectPrincipal();
            return;
        }
        if (!_notifications.IsListening || !_sessions.TryGetValue(sessionId, out var entry) || entry.Expires < DateTime.UtcNow)
        {
            var active = await _store.IsActiveAsync(sessionId, userId, context.HttpContext.RequestAborted);
            entry = (userId, active, DateTime.UtcNow + Lifetime);
            if (_notifications.IsListening) _sessions[sessionId] = entry;
        }
        if (!entry.Active) context.RejectPrincipal();
    }

    private void OnAuthChanged(string payload)
    {
        if (payload.StartsWith("session:", StringComparison.Ordinal) && Guid.TryParse(payload[8..], out var sessionId))
        {
            _sessions.TryRemove(sessionId, out _);
        }
        else if (payload.StartsWith("user:", StringComparison.Ordinal) && Guid.TryParse(payload[5..], out var userId))
        {
            foreach (var (id, entry) in _sessions)
            {
                if (entry.UserId == userId) _sessions.TryRemove(id, out _);
            }
        }
        else if (!payload.StartsWith("key:", StringComparison.Ordinal))
        {
            _sessions.Clear();
        }
    }
}
