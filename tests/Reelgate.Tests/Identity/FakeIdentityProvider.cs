using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Reelgate.Tests.Fetch;

namespace Reelgate.Tests.Identity;

/// <summary>The person the fake provider signs in next.</summary>
internal sealed record FakePerson(string Subject, string? Email, bool EmailVerified);

/// <summary>
/// An OpenID provider on Kestrel speaking the documented protocol: discovery, JWKS, an authorize endpoint that
/// consents at once for <see cref="Next"/>, a token endpoint that checks the client secret, redirect URI and PKCE
/// verifier, and userinfo. It refuses what a real one refuses, and can be told to fail the code exchange.
/// </summary>
internal sealed class FakeIdentityProvider : IAsyncDisposable
{
    public const string ClientId = "reelgate-client";
    public const string ClientSecret = "reelgate-client-secret";

    private readonly ConcurrentDictionary<string, (FakePerson Person, string Challenge, string? Nonce, string RedirectUri)> _codes = new();
    private readonly ConcurrentDictionary<string, FakePerson> _accessTokens = new();
    private TestHttpServer _server = null!;

    public FakePerson Next { get; set; } = new("subject-1", "person@example.com", true);

    /// <summary>The token endpoint answers 400 invalid_grant to every code.</summary>
    public bool FailTokenExchange { get; set; }

    public RsaSecurityKey SigningKey { get; private set; } = NewKey();

    public string Issuer => _server.BaseAddress.ToString().TrimEnd('/');

    public string Url(string path) => Issuer + path;

    public int JwksRequests;

    public static async Task<FakeIdentityProvider> StartAsync()
    {
        var fake = new FakeIdentityProvider();
        fake._server = await TestHttpServer.StartAsync(fake.Map);
        return fake;
    }

    /// <summary>The issuer starts signing with a new key and publishes only that one.</summary>
    public void RotateKey() => SigningKey = NewKey();

    public static RsaSecurityKey NewKey() => new(RSA.Create(2048)) { KeyId = Guid.NewGuid().ToString("N") };

    public string Mint(IDictionary<string, object> claims, SecurityKey? key = null, string algorithm = SecurityAlgorithms.RsaSha256, DateTime? expires = null)
    {
        var descriptor = new SecurityTokenDescriptor
        {
            Claims = claims,
            Expires = expires ?? DateTime.UtcNow.AddMinutes(5),
            NotBefore = (expires ?? DateTime.UtcNow.AddMinutes(5)).AddMinutes(-10),
            IssuedAt = (expires ?? DateTime.UtcNow.AddMinutes(5)).AddMinutes(-10),
            SigningCredentials = new SigningCredentials(key ?? SigningKey, algorithm),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    private void Map(WebApplication app)
    {
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = Issuer,
            ["authorization_endpoint"] = Url("/authorize"),
            ["token_endpoint"] = Url("/token"),
            ["userinfo_endpoint"] = Url("/userinfo"),
            ["jwks_uri"] = Url("/jwks"),
            ["response_types_supported"] = new[] { "code" },
            ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["code_challenge_methods_supported"] = new[] { "S256" },
        }));
        app.MapGet("/jwks", () =>
        {
            Interlocked.Increment(ref JwksRequests);
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(SigningKey.Rsa.ExportParameters(false)) { KeyId = SigningKey.KeyId });
            return Results.Json(new { keys = new[] { new { kty = jwk.Kty, kid = jwk.Kid, use = "sig", alg = "RS256", n = jwk.N, e = jwk.E } } });
        });
        app.MapGet("/authorize", (HttpRequest request) =>
        {
            var q = request.Query;
            var redirect = q["redirect_uri"].ToString();
            if (q["client_id"] != ClientId || q["response_type"] != "code" || string.IsNullOrEmpty(redirect)) return Results.BadRequest();
            if (q["code_challenge_method"] != "S256" || string.IsNullOrEmpty(q["code_challenge"])) return Redirect(redirect, "error=invalid_request", q["state"]);
            var code = Guid.NewGuid().ToString("N");
            _codes[code] = (Next, q["code_challenge"].ToString(), q["nonce"].ToString() is { Length: > 0 } n ? n : null, redirect);
            return Redirect(redirect, $"code={code}", q["state"]);
        });
        app.MapPost("/token", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            var (id, secret) = ClientCredentials(request, form);
            if (id != ClientId || secret != ClientSecret) return Results.Json(new { error = "invalid_client" }, statusCode: 401);
            if (FailTokenExchange || form["grant_type"] != "authorization_code" || !_codes.TryRemove(form["code"].ToString(), out var grant)
                || grant.RedirectUri != form["redirect_uri"] || Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(form["code_verifier"].ToString()))) != grant.Challenge)
            {
                return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
            }
            var access = Guid.NewGuid().ToString("N");
            _accessTokens[access] = grant.Person;
            var claims = PersonClaims(grant.Person);
            claims["iss"] = Issuer;
            claims["aud"] = ClientId;
            if (grant.Nonce is not null) claims["nonce"] = grant.Nonce;
            return Results.Json(new { access_token = access, token_type = "Bearer", expires_in = 3600, id_token = Mint(claims) });
        });
        app.MapGet("/userinfo", (HttpRequest request) =>
        {
            var bearer = request.Headers.Authorization.ToString();
            return bearer.StartsWith("Bearer ", StringComparison.Ordinal) && _accessTokens.TryGetValue(bearer[7..], out var person)
                ? Results.Json(PersonClaims(person))
                : Results.Json(new { error = "invalid_token" }, statusCode: 401);
        });
    }

    private static Dictionary<string, object> PersonClaims(FakePerson person)
    {
        var claims = new Dictionary<string, object> { ["sub"] = person.Subject, ["name"] = "Fake Person" };
        if (person.Email is not null)
        {
            claims["email"] = person.Email;
            claims["email_verified"] = person.EmailVerified;
        }
        return claims;
    }

    private static (string? Id, string? Secret) ClientCredentials(HttpRequest request, IFormCollection form)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..])).Split(':', 2);
            return (Uri.UnescapeDataString(pair[0]), Uri.UnescapeDataString(pair[1]));
        }
        return (form["client_id"], form["client_secret"]);
    }

    private static IResult Redirect(string redirectUri, string query, string? state) =>
        Results.Redirect($"{redirectUri}{(redirectUri.Contains('?') ? '&' : '?')}{query}&state={Uri.EscapeDataString(state ?? "")}");

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
