using System.Security.Claims;

namespace Reelgate.Common;

public static class ClaimNames
{
    public const string UserId = "sub";
    public const string Role = "role";
    public const string KeyId = "key_id";
    public const string SessionId = "sid";
    public const string Scope = "scope";
    public const string ScopeLimited = "scope_limited";
}

public static class ClaimsPrincipalExtensions
{
    public static Guid UserId(this ClaimsPrincipal user) =>
        Guid.Parse(user.FindFirstValue(ClaimNames.UserId) ?? throw new InvalidOperationException("No signed-in user."));

    public static Guid? ApiKeyId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(ClaimNames.KeyId), out var id) ? id : null;

    public static bool IsAdmin(this ClaimsPrincipal user) => user.FindFirstValue(ClaimNames.Role) == "admin";
}
