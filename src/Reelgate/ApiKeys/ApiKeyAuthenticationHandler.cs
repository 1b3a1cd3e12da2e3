using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Reelgate.Common;

namespace Reelgate.ApiKeys;

public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ApiKeyStore store,
    ApiKeyCache cache,
    LastUsedTracker lastUsed) : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";
    private static readonly object ExpiredMarker = new();

    public static string? ReadKey(HttpRequest request)
    {
        if (request.Headers.TryGetValue("x-api-key", out var apiKey) && !string.IsNullOrWhiteSpace(apiKey))
        {
            return apiKey.ToString().Trim();
        }
        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization[7..].Trim() : null;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = ReadKey(Request);
        if (key is null) return AuthenticateResult.NoResult();
        if (!ApiKeyFormat.LooksValid(key)) return AuthenticateResult.Fail("Malformed API key.");

        var hash = ApiKeyFormat.Hash(key);
        var identity = cache.Get(hash);
        if (identity is null)
        {
            var generation = cache.Generation;
            identity = await store.FindUnrevokedAsync(hash, Context.RequestAborted);
            if (identity is null) return AuthenticateResult.Fail("Unknown or revoked API key.");
            cache.Set(identity, generation);
        }
        if (!CryptographicOperations.FixedTimeEquals(identity.KeyHash, hash)) return AuthenticateResult.Fail("Unknown API key.");
        if (identity.ExpiresAt is { } expiresAt && expiresAt <= DateTime.UtcNow)
        {
            Context.Items[ExpiredMarker] = expiresAt;
            return AuthenticateResult.Fail("Expired API key.");
        }

        lastUsed.Touch(identity.KeyId);
        Context.Items[typeof(KeyIdentity)] = identity;
        var claims = new List<Claim>
        {
            new(ClaimNames.UserId, identity.UserId.ToString()),
            new(ClaimNames.Role, identity.Role),
            new(ClaimNames.KeyId, identity.KeyId.ToString()),
            new(ClaimTypes.Email, identity.Email),
        };
        claims.AddRange(Scopes.Claims(identity.Scopes));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, ClaimTypes.Email, ClaimNames.Role));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        Context.Items[ExpiredMarker] is DateTime expiredAt
            ? ProblemWriter.WriteAsync(Context, StatusCodes.Status401Unauthorized, "key-expired", "API key expired.",
                $"This key expired at {expiredAt:yyyy-MM-dd'T'HH:mm:ss'Z'}; use its replacement or create a new key.")
            : ProblemWriter.WriteAsync(Context, StatusCodes.Status401Unauthorized, "unauthenticated", "Authentication required.",
            "Send a valid API key as 'Authorization: Bearer <key>' or 'x-api-key: <key>'.");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ProblemWriter.WriteAsync(Context, StatusCodes.Status403Forbidden, "forbidden", "Forbidden.", "This needs the admin role.");
}
