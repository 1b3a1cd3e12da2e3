namespace Reelgate.Identity;

/// <summary><c>Auth:Google</c>: the endpoints are Google's unless set (a proxy, or a local provider in tests).</summary>
public sealed class GoogleSignInOptions
{
    public const string Section = "Auth:Google";
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }
    public string? AuthorizationEndpoint { get; set; }
    public string? TokenEndpoint { get; set; }
    public string? UserInformationEndpoint { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ClientId) && !string.IsNullOrWhiteSpace(ClientSecret);
}

/// <summary><c>Auth:Oidc:{name}</c>: any OpenID Connect provider (Supabase Auth, Auth0, Keycloak…).</summary>
public sealed class OidcSignInOptions
{
    public const string Section = "Auth:Oidc";
    public string? Authority { get; set; }
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }
    public string? DisplayName { get; set; }
    /// <summary>Requested besides openid; defaults to profile and email.</summary>
    public string[]? Scopes { get; set; }
    /// <summary>Off only for a provider on this machine over plain HTTP.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Authority) && !string.IsNullOrWhiteSpace(ClientId);
}
