using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Reelgate.ApiKeys;
using Reelgate.Common;
using Reelgate.Fetch;

namespace Reelgate.Identity;

/// <summary>
/// One in-box JWT bearer scheme per trusted issuer. A bearer value shaped like a JWT is routed by its (not yet trusted)
/// iss to that issuer's scheme, which checks signature, exp/nbf with 5 s skew, iss and aud or azp, then maps
/// (issuer, sub) to the Reelgate user through the same linking rules as browser sign-in.
/// </summary>
public static class JwtIssuers
{
    public const string UnknownIssuerScheme = "JwtUnknownIssuer";
    private static readonly string[] AsymmetricAlgorithms =
        [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512, SecurityAlgorithms.EcdsaSha256,
         SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.RsaSsaPssSha256];

    public sealed record Registered(IReadOnlyDictionary<string, string> SchemeByIssuer)
    {
        public bool Any => SchemeByIssuer.Count > 0;
    }

    public static AuthenticationBuilder AddJwtIssuers(this AuthenticationBuilder auth, IConfiguration configuration)
    {
        var issuers = configuration.GetSection(JwtIssuerOptions.Section).Get<JwtIssuerOptions[]>() ?? [];
        var schemes = new Dictionary<string, string>(StringComparer.Ordinal);
        auth.Services.AddHttpClient(JwksKeys.ClientName).AddFetchGuard().ConfigureHttpClient(c => c.Timeout = TimeSpan.FromSeconds(10));
        for (var i = 0; i < issuers.Length; i++)
        {
            var issuer = issuers[i];
            if (issuer.Problem(i) is { } problem) throw new ConfigurationException(problem);
            var scheme = $"Jwt{i}";
            schemes[issuer.Issuer!] = scheme;
            auth.AddJwtBearer(scheme, o => Configure(o, scheme, issuer));
            if (issuer.JwksUrl is { Length: > 0 } url)
            {
                auth.Services.AddKeyedSingleton(scheme, (sp, _) => new JwksKeys(url, sp.GetRequiredService<IHttpClientFactory>(), sp.GetRequiredService<ILogger<JwksKeys>>()));
                // The validator reads the cached keys; OnMessageReceived has fetched them if the token's kid was new.
                auth.Services.AddOptions<JwtBearerOptions>(scheme).Configure<IServiceProvider>((o, sp) =>
                {
                    var keys = sp.GetRequiredKeyedService<JwksKeys>(scheme);
                    o.TokenValidationParameters.IssuerSigningKeyResolver = (_, _, _, _) => keys.Current;
                });
            }
        }
        auth.AddScheme<AuthenticationSchemeOptions, UnknownIssuerHandler>(UnknownIssuerScheme, null);
        auth.Services.AddSingleton(new Registered(schemes));
        return auth;
    }

    /// <summary>The scheme for a JWT-shaped bearer value, or null when it is not one (API keys never contain dots).</summary>
    public static string? SchemeFor(HttpContext context, string bearer)
    {
        var registered = context.RequestServices.GetRequiredService<Registered>();
        if (!registered.Any || bearer.Count(c => c == '.') != 2) return null;
        var handler = new JsonWebTokenHandler();
        if (!handler.CanReadToken(bearer)) return UnknownIssuerScheme;
        try
        {
            var issuer = handler.ReadJsonWebToken(bearer).Issuer;
            return registered.SchemeByIssuer.GetValueOrDefault(issuer) ?? UnknownIssuerScheme;
        }
        catch (ArgumentException)
        {
            return UnknownIssuerScheme;
        }
    }

    private static void Configure(JwtBearerOptions o, string scheme, JwtIssuerOptions issuer)
    {
        o.MapInboundClaims = false;
        o.RequireHttpsMetadata = false;
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = issuer.Issuer,
            ValidateAudience = !string.IsNullOrWhiteSpace(issuer.Audience),
            ValidAudience = issuer.Audience,
            ClockSkew = JwtIssuerOptions.ClockSkew,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            ValidAlgorithms = issuer.Secret is { Length: > 0 } ? [SecurityAlgorithms.HmacSha256] : AsymmetricAlgorithms,
        };
        if (issuer.Secret is { Length: > 0 } secret) parameters.IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret));
        o.TokenValidationParameters = parameters;
        o.Events = new JwtBearerEvents
        {
            OnMessageReceived = async context =>
            {
                if (context.HttpContext.RequestServices.GetKeyedService<JwksKeys>(scheme) is not { } keys) return;
                var bearer = ApiKeyAuthenticationHandler.ReadKey(context.Request) ?? "";
                var reader = new JsonWebTokenHandler();
                await keys.PrepareAsync(reader.CanReadToken(bearer) ? reader.ReadJsonWebToken(bearer).Kid : null, context.HttpContext.RequestAborted);
            },
            OnTokenValidated = context => MapUserAsync(context, issuer),
            OnChallenge = async context =>
            {
                context.HandleResponse();
                await JwtProblems.WriteAsync(context.HttpContext, context.AuthenticateFailure);
            },
            OnForbidden = context => ProblemWriter.WriteAsync(context.HttpContext, StatusCodes.Status403Forbidden, "forbidden", "Forbidden.", "This needs the admin role."),
        };
    }

    private static async Task MapUserAsync(TokenValidatedContext context, JwtIssuerOptions issuer)
    {
        var token = context.Principal!;
        var azp = token.FindFirst("azp")?.Value;
        if (issuer.AuthorizedParties is { Length: > 0 } parties && azp is not null && !parties.Contains(azp, StringComparer.Ordinal))
        {
            context.Fail(new JwtProblems.UnauthorizedPartyException(azp));
            return;
        }
        var subject = token.FindFirst("sub")?.Value;
        if (string.IsNullOrEmpty(subject))
        {
            context.Fail(new JwtProblems.NoAccountException("The token has no sub claim."));
            return;
        }
        var email = token.FindFirst("email")?.Value;
        var login = new ExternalLogin(issuer.Issuer!, subject, string.IsNullOrWhiteSpace(email) ? null : email.Trim(),
            ExternalClaims.IsTrue(token.FindFirst("email_verified")?.Value) && !string.IsNullOrWhiteSpace(email));
        var accounts = context.HttpContext.RequestServices.GetRequiredService<ExternalAccounts>();
        switch (await accounts.SignInAsync(login, issuer.AutoProvision, refuseTakenEmail: false, context.HttpContext.RequestAborted))
        {
            case ExternalSignInResult.SignedIn signedIn:
                var user = signedIn.User;
                var scopes = issuer.EffectiveScopes.Intersect(Scopes.For(user.Role), StringComparer.Ordinal);
                var claims = new List<Claim>
                {
                    new(ClaimNames.UserId, user.Id.ToString()),
                    new(ClaimNames.Role, user.Role),
                    new(ClaimTypes.Email, user.Email),
                };
                claims.AddRange(Scopes.Claims(scopes));
                context.Principal = new ClaimsPrincipal(new ClaimsIdentity(claims, context.Scheme.Name, ClaimTypes.Email, ClaimNames.Role));
                break;
            case ExternalSignInResult.NotProvisioned:
                context.Fail(new JwtProblems.NoAccountException("No Reelgate account is linked to this token's subject, and this issuer does not create accounts."));
                break;
            default:
                context.Fail(new JwtProblems.NoAccountException("The account linked to this token is disabled."));
                break;
        }
    }

    private sealed class UnknownIssuerHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var bearer = ApiKeyAuthenticationHandler.ReadKey(Request) ?? "";
            var handler = new JsonWebTokenHandler();
            return Task.FromResult(handler.CanReadToken(bearer)
                ? AuthenticateResult.Fail(new JwtProblems.UnknownIssuerException(handler.ReadJsonWebToken(bearer).Issuer))
                : AuthenticateResult.Fail(new SecurityTokenMalformedException("Not a JWT.")));
        }

        protected override async Task HandleChallengeAsync(AuthenticationProperties properties) =>
            await JwtProblems.WriteAsync(Context, (await HandleAuthenticateOnceSafeAsync()).Failure);
    }
}
