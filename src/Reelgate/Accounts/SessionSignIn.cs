using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Reelgate.Common;

namespace Reelgate.Accounts;

public static class SessionSignIn
{
    /// <summary>Opens a session row and the cookie that names it; <paramref name="method"/> is "password" or the identity provider.</summary>
    public static async Task SignInAsync(HttpContext http, UserRecord user, string method = "password")
    {
        var sessionId = await http.RequestServices.GetRequiredService<Sessions>().StartAsync(user.Id, method, http.RequestAborted);
        var claims = new[]
        {
            new Claim(ClaimNames.UserId, user.Id.ToString()),
            new Claim(ClaimNames.Role, user.Role),
            new Claim(ClaimTypes.Email, user.Email),
            new Claim(ClaimNames.SessionId, sessionId.ToString()),
        };
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme, ClaimTypes.Email, ClaimNames.Role));
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal,
            new AuthenticationProperties { IsPersistent = true, AllowRefresh = true });
    }

    /// <summary>Ends the caller's session on every instance, then drops the cookie.</summary>
    public static async Task SignOutAsync(HttpContext http)
    {
        var result = await http.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        if (Guid.TryParse(result.Principal?.FindFirst(ClaimNames.SessionId)?.Value, out var sessionId))
        {
            await http.RequestServices.GetRequiredService<Sessions>().EndAsync(sessionId, http.RequestAborted);
        }
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }
}
