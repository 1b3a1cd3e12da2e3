using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Google;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Reelgate.Common;
using Reelgate.Fetch;

namespace Reelgate.Identity;

/// <summary>
/// Registers the in-box Google and OpenID Connect handlers. Each signs in to a short-lived external cookie; the
/// completion endpoint then applies the linking rules and opens a Reelgate session.
/// </summary>
public static partial class ExternalSignInSchemes
{
    public const string ExternalCookie = "External";

    public static AuthenticationBuilder AddExternalSignIn(this AuthenticationBuilder auth, IConfiguration configuration)
    {
        var providers = new List<ExternalProvider>();
        auth.AddCookie(ExternalCookie, o =>
        {
            o.Cookie.Name = "reelgate_external";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromMinutes(10);
        });

        var google = configuration.GetSection(GoogleSignInOptions.Section).Get<GoogleSignInOptions>() ?? new();
        if (google.IsConfigured)
        {
            auth.AddGoogle(o =>
            {
                o.ClientId = google.ClientId!;
                o.ClientSecret = google.ClientSecret!;
                if (google.AuthorizationEndpoint is { Length: > 0 } authorize) o.AuthorizationEndpoint = authorize;
                if (google.TokenEndpoint is { Length: > 0 } token) o.TokenEndpoint = token;
                if (google.UserInformationEndpoint is { Length: > 0 } userInfo) o.UserInformationEndpoint = userInfo;
                o.ClaimActions.MapJsonKey(ExternalClaims.EmailVerified, "email_verified");
                o.ClaimActions.MapJsonKey(ExternalClaims.LegacyVerifiedEmail, "verified_email");
                Configure(o);
            });
            GuardBackchannel<GoogleOptions>(auth.Services, GoogleDefaults.AuthenticationScheme);
            providers.Add(new ExternalProvider(GoogleDefaults.AuthenticationScheme, "Google", ExternalProviders.GoogleIssuer));
        }

        foreach (var section in configuration.GetSection(OidcSignInOptions.Section).GetChildren())
        {
            var oidc = section.Get<OidcSignInOptions>() ?? new();
            if (!oidc.IsConfigured) continue;
            if (!SchemeName().IsMatch(section.Key)) throw new ConfigurationException($"Auth:Oidc:{section.Key}: the name may hold only letters, digits and '-'.");
            var scheme = "oidc-" + section.Key.ToLowerInvariant();
            auth.AddOpenIdConnect(scheme, oidc.DisplayName ?? section.Key, o =>
            {
                o.Authority = oidc.Authority;
                o.ClientId = oidc.ClientId;
                o.ClientSecret = oidc.ClientSecret;
                o.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
                o.CallbackPath = "/signin-" + scheme;
                o.ResponseType = OpenIdConnectResponseType.Code;
                // The answer comes back as a top-level GET, so SameSite=Lax correlation and nonce cookies are sent with it.
                o.ResponseMode = OpenIdConnectResponseMode.Query;
                o.UsePkce = true;
                o.MapInboundClaims = false;
                o.GetClaimsFromUserInfoEndpoint = true;
                o.Scope.Clear();
                foreach (var s in new[] { "openid" }.Concat(oidc.Scopes ?? ["profile", "email"])) o.Scope.Add(s);
                o.ClaimActions.Remove("iss");
                o.ClaimActions.MapUniqueJsonKey(ExternalClaims.EmailVerified, "email_verified");
                o.NonceCookie.SameSite = SameSiteMode.Lax;
                o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                Configure(o);
            });
            GuardBackchannel<OpenIdConnectOptions>(auth.Services, scheme);
            providers.Add(new ExternalProvider(scheme, oidc.DisplayName ?? section.Key, oidc.Authority!));
        }

        auth.Services.AddSingleton(new ExternalProviders(providers));
        return auth;
    }

    private static void Configure(RemoteAuthenticationOptions o)
    {
        o.SignInScheme = ExternalCookie;
        o.CorrelationCookie.SameSite = SameSiteMode.Lax;
        o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.Events.OnRemoteFailure = ExternalSignInEndpoints.OnRemoteFailureAsync;
    }

    /// <summary>Token, userinfo and discovery calls go through the address guard like every other outbound request.</summary>
    private static void GuardBackchannel<TOptions>(IServiceCollection services, string scheme) where TOptions : RemoteAuthenticationOptions =>
        services.AddOptions<TOptions>(scheme).Configure<IAddressPolicy, IOptions<FetchOptions>>((o, policy, fetch) =>
            o.BackchannelHttpHandler = GuardedHttpHandler.Create(policy, fetch.Value));

    [GeneratedRegex("^[A-Za-z0-9-]{1,40}$")]
    private static partial Regex SchemeName();
}
