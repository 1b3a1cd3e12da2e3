using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Reelgate.Common;

namespace Reelgate.Accounts;

public static class SessionSignIn
{
    public static Task SignInAsync(HttpContext http, UserRecord user)
    {
        var claims = new[]
        {
            new Claim(ClaimNames.UserId, user.Id.ToString()),
            new Claim(ClaimNames.Role, user.Role),
            new Claim(ClaimTypes.Email, user.Email),
        };
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme, ClaimTypes.Email, ClaimNames.Role));
        return http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal,
            new AuthenticationProperties { IsPersistent = true, AllowRefresh = true });
    }
}
