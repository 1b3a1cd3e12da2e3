using Reelgate.ApiKeys;

namespace Reelgate.Identity;

/// <summary>One entry of <c>Auth:Jwt:Issuers</c>: a token issuer (Clerk, Supabase Auth…) whose session JWTs the API accepts.</summary>
public sealed class JwtIssuerOptions
{
    public const string Section = "Auth:Jwt:Issuers";
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(5);

    public string? Issuer { get; set; }
    /// <summary>Clerk: https://&lt;frontend-api&gt;/.well-known/jwks.json; Supabase: https://&lt;ref&gt;.supabase.co/auth/v1/.well-known/jwks.json.</summary>
    public string? JwksUrl { get; set; }
    /// <summary>A shared HS256 secret (legacy Supabase projects), instead of a JWKS.</summary>
    public string? Secret { get; set; }
    /// <summary>Supabase: "authenticated".</summary>
    public string? Audience { get; set; }
    /// <summary>Clerk: the front-end origins a token's azp may name.</summary>
    public string[]? AuthorizedParties { get; set; }
    /// <summary>A first valid token creates its user unless this is off.</summary>
    public bool AutoProvision { get; set; } = true;
    /// <summary>What these tokens may do; admin work also needs the admin role.</summary>
    public string[]? Scopes { get; set; }

    public IReadOnlyList<string> EffectiveScopes => Scopes ?? [.. ApiKeys.Scopes.Default];

    public string? Problem(int index)
    {
        var at = $"{Section}:{index}";
        if (string.IsNullOrWhiteSpace(Issuer)) return $"{at}:Issuer is required.";
        if (string.IsNullOrWhiteSpace(JwksUrl) == string.IsNullOrWhiteSpace(Secret)) return $"{at}: set exactly one of JwksUrl and Secret.";
        if (Secret is { Length: > 0 and < 32 }) return $"{at}:Secret must be at least 32 characters.";
        if (JwksUrl is { Length: > 0 } && !Uri.TryCreate(JwksUrl, UriKind.Absolute, out _)) return $"{at}:JwksUrl must be an absolute URL.";
        if (string.IsNullOrWhiteSpace(Audience) && AuthorizedParties is not { Length: > 0 }) return $"{at}: set Audience or AuthorizedParties.";
        if (Scopes?.FirstOrDefault(s => !ApiKeys.Scopes.IsKnown(s)) is { } unknown) return $"{at}:Scopes: '{unknown}' is not a scope.";
        return null;
    }
}
