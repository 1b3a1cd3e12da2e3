using System.Net;
using System.Text;
using Microsoft.IdentityModel.Tokens;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Identity;

/// <summary>Bearer JWTs from a Clerk-shaped issuer (JWKS, azp) and a Supabase-shaped one (legacy HS256, aud).</summary>
public sealed class JwtIssuerTests : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private const string Origin = "http://localhost:3000";
    private const string SupabaseIssuer = "https://project-ref.supabase.co/auth/v1";
    private const string SupabaseSecret = "super-secret-jwt-token-with-at-least-32-characters";
    private readonly TestDatabase _db;
    private FakeIdentityProvider _clerk = null!;
    private ReelgateFactory _app = null!;

    public JwtIssuerTests(TestDatabase db) => _db = db;

    public async Task InitializeAsync()
    {
        _clerk = await FakeIdentityProvider.StartAsync();
        _app = new ReelgateFactory(_db.ConnectionString, new Dictionary<string, string?>
        {
            ["Auth:Jwt:Issuers:0:Issuer"] = _clerk.Issuer,
            ["Auth:Jwt:Issuers:0:JwksUrl"] = _clerk.Url("/jwks"),
            ["Auth:Jwt:Issuers:0:AuthorizedParties:0"] = Origin,
            ["Auth:Jwt:Issuers:1:Issuer"] = SupabaseIssuer,
            ["Auth:Jwt:Issuers:1:Secret"] = SupabaseSecret,
            ["Auth:Jwt:Issuers:1:Audience"] = "authenticated",
        });
    }

    public async Task DisposeAsync()
    {
        _app.Dispose();
        await _clerk.DisposeAsync();
    }

    private string ClerkToken(string subject, string azp = Origin, SecurityKey? key = null, DateTime? expires = null) =>
        _clerk.Mint(new Dictionary<string, object> { ["iss"] = _clerk.Issuer, ["sub"] = subject, ["azp"] = azp, ["sid"] = "sess_1", ["v"] = 2 }, key, expires: expires);

    private static string SupabaseToken(string subject, string audience = "authenticated", string? email = null)
    {
        var claims = new Dictionary<string, object> { ["iss"] = SupabaseIssuer, ["sub"] = subject, ["aud"] = audience, ["role"] = "authenticated" };
        if (email is not null) claims["email"] = email;
        var key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(SupabaseSecret));
        return new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims, Expires = DateTime.UtcNow.AddMinutes(5), SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
    }

    private Task<HttpResponseMessage> MeAsync(string token) => _app.CreateApiClient(token).GetAsync("/api/v1/me");

    [Fact]
    public async Task ClerkToken_CreatesItsUserOnce_AndAuthenticatesAsThem()
    {
        var subject = "user_" + Guid.NewGuid().ToString("N");
        var first = await MeAsync(ClerkToken(subject));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var id = (await first.JsonAsync()).GetProperty("id").GetGuid();
        Assert.Equal(id, (await (await MeAsync(ClerkToken(subject))).JsonAsync()).GetProperty("id").GetGuid());
        Assert.NotEqual(id, (await (await MeAsync(ClerkToken("user_other" + Guid.NewGuid().ToString("N")))).JsonAsync()).GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task SupabaseToken_RecordsTheEmail_AndIsRateLimitedAndScopedLikeAKey()
    {
        var email = $"sb-{Guid.NewGuid():N}@example.com";
        var token = SupabaseToken(Guid.NewGuid().ToString(), email: email);
        var me = await MeAsync(token);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal(email, (await me.JsonAsync()).GetProperty("email").GetString());
        Assert.True(me.Headers.Contains("RateLimit-Limit"));
        await Api.AssertProblemAsync(await _app.CreateApiClient(token).GetAsync("/api/v1/admin/users"), HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task ExpiredToken_Returns401TokenExpired() =>
        await Api.AssertProblemAsync(await MeAsync(ClerkToken("user_x", expires: DateTime.UtcNow.AddSeconds(-10))), HttpStatusCode.Unauthorized, "token-expired");

    [Fact]
    public async Task WrongAuthorisedParty_Returns401() =>
        await Api.AssertProblemAsync(await MeAsync(ClerkToken("user_x", azp: "https://evil.example")), HttpStatusCode.Unauthorized, "token-wrong-party");

    [Fact]
    public async Task WrongAudience_Returns401() =>
        await Api.AssertProblemAsync(await MeAsync(SupabaseToken("u", audience: "anon")), HttpStatusCode.Unauthorized, "token-wrong-audience");

    [Fact]
    public async Task TokenSignedByAnotherKey_Returns401BadSignature()
    {
        var stranger = FakeIdentityProvider.NewKey();
        stranger.KeyId = _clerk.SigningKey.KeyId;
        await Api.AssertProblemAsync(await MeAsync(ClerkToken("user_x", key: stranger)), HttpStatusCode.Unauthorized, "token-bad-signature");
    }

    [Fact]
    public async Task UnsignedAlgNoneToken_Returns401BadSignature()
    {
        static string B64(string json) => Base64UrlEncoder.Encode(json);
        var token = B64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." +
            B64($"{{\"iss\":\"{_clerk.Issuer}\",\"sub\":\"user_none\",\"azp\":\"{Origin}\",\"exp\":{DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds()}}}") + ".";
        await Api.AssertProblemAsync(await MeAsync(token), HttpStatusCode.Unauthorized, "token-bad-signature");
    }

    [Fact]
    public async Task TokenFromAnUnlistedIssuer_Returns401UnknownIssuer()
    {
        var token = _clerk.Mint(new Dictionary<string, object> { ["iss"] = "https://other.example", ["sub"] = "x", ["azp"] = Origin });
        await Api.AssertProblemAsync(await MeAsync(token), HttpStatusCode.Unauthorized, "token-unknown-issuer");
    }

    [Fact]
    public async Task KeyRotatedAtTheIssuer_IsPickedUpOnItsFirstToken()
    {
        Assert.Equal(HttpStatusCode.OK, (await MeAsync(ClerkToken("user_rot"))).StatusCode);
        var fetches = _clerk.JwksRequests;
        Assert.Equal(HttpStatusCode.OK, (await MeAsync(ClerkToken("user_rot"))).StatusCode);
        Assert.Equal(fetches, _clerk.JwksRequests);

        _clerk.RotateKey();
        await Task.Delay(TimeSpan.FromSeconds(2.2));

        Assert.Equal(HttpStatusCode.OK, (await MeAsync(ClerkToken("user_rot"))).StatusCode);
        Assert.Equal(fetches + 1, _clerk.JwksRequests);
    }
}
