using System.Security.Claims;

namespace Reelgate.Identity;

/// <summary>Reads who signed in from the claims the Google and OpenID Connect handlers produce.</summary>
public static class ExternalClaims
{
    public const string EmailVerified = "email_verified";
    public const string LegacyVerifiedEmail = "verified_email";

    public static ExternalLogin? Read(ClaimsPrincipal principal, ExternalProvider provider)
    {
        var subject = principal.FindFirst("sub")?.Value ?? principal.FindFirst(ClaimTypes.NameIdentifier)?.Value;
        if (string.IsNullOrEmpty(subject)) return null;
        var issuer = principal.FindFirst("iss")?.Value is { Length: > 0 } iss ? iss.TrimEnd('/') : provider.Issuer.TrimEnd('/');
        var email = principal.FindFirst("email")?.Value ?? principal.FindFirst(ClaimTypes.Email)?.Value;
        var verified = IsTrue(principal.FindFirst(EmailVerified)?.Value) || IsTrue(principal.FindFirst(LegacyVerifiedEmail)?.Value);
        return new ExternalLogin(issuer, subject, string.IsNullOrWhiteSpace(email) ? null : email.Trim(), verified && !string.IsNullOrWhiteSpace(email));
    }

    public static bool IsTrue(string? value) => bool.TryParse(value, out var b) && b;
}
