using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authentication.Cookies;
using Reelgate.Common;
using Reelgate.Data;

namespace Reelgate.Accounts;

/// <summary>Ends cookie sessions of disabled users; the answer is cached briefly and dropped on NOTIFY.</summary>
public sealed class SessionValidation
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<Guid, (bool Active, DateTime Expires)> _active = new();
    private readonly UserStore _users;

    public SessionValidation(UserStore users, Notifications notifications)
    {
        _users = users;
        notifications.Subscribe(Channels.Auth, payload =>
        {
            if (payload.StartsWith("user:", StringComparison.Ordinal) && Guid.TryParse(payload[5..], out var id)) _active.TryRemove(id, out _);
            else if (!payload.StartsWith("key:", StringComparison.Ordinal)) _active.Clear();
        });
    }

    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        if (context.Principal is not { } principal || !Guid.TryParse(principal.FindFirst(ClaimNames.UserId)?.Value, out var userId))
        {
            context.RejectPrincipal();
            return;
        }
        if (!_active.TryGetValue(userId, out var entry) || entry.Expires < DateTime.UtcNow)
        {
            var user = await _users.FindByIdAsync(userId, context.HttpContext.RequestAborted);
            entry = (user is { DisabledAt: null }, DateTime.UtcNow + Lifetime);
            _active[userId] = entry;
        }
        if (!entry.Active) context.RejectPrincipal();
    }
}
