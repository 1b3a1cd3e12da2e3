using Microsoft.IdentityModel.Tokens;
using Reelgate.Common;

namespace Reelgate.Identity;

/// <summary>Why a bearer JWT was refused, as a 401 problem that says which check failed.</summary>
public static class JwtProblems
{
    public sealed class UnknownIssuerException(string? issuer) : SecurityTokenException($"The issuer '{issuer}' is not trusted.");
    public sealed class UnauthorizedPartyException(string? party) : SecurityTokenException($"The authorised party '{party}' is not allowed.");
    public sealed class NoAccountException(string message) : SecurityTokenException(message);

    public static Task WriteAsync(HttpContext context, Exception? failure)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
        var (slug, title, detail) = failure switch
        {
            SecurityTokenExpiredException => ("token-expired", "Token expired.", "The token's exp has passed; get a fresh token from your sign-in provider."),
            SecurityTokenNotYetValidException => ("token-not-yet-valid", "Token not yet valid.", "The token's nbf is in the future."),
            SecurityTokenInvalidAudienceException => ("token-wrong-audience", "Wrong audience.", "The token's aud is not the audience configured for its issuer."),
            UnauthorizedPartyException => ("token-wrong-party", "Wrong authorised party.", "The token's azp is not one of the authorised parties configured for its issuer."),
            UnknownIssuerException => ("token-unknown-issuer", "Unknown issuer.", "The token's iss is not listed in Auth:Jwt:Issuers."),
            SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException or SecurityTokenInvalidAlgorithmException
                => ("token-bad-signature", "Bad signature.", "The token is unsigned, or not signed by a key its issuer publishes, or with an algorithm that is not allowed."),
            NoAccountException e => ("token-no-account", "No account for this token.", e.Message),
            SecurityTokenMalformedException or ArgumentException => ("token-malformed", "Malformed token.", "The bearer value is not a well-formed JWT."),
            _ => ("token-invalid", "Invalid token.", "The token failed validation."),
        };
        return ProblemWriter.WriteAsync(context, StatusCodes.Status401Unauthorized, slug, title, detail);
    }
}
