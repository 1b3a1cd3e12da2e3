using System.Net;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Identity;

public sealed class CorsTests : IClassFixture<TestDatabase>, IDisposable
{
    private const string Allowed = "http://localhost:3000";
    private readonly ReelgateFactory _app;

    public CorsTests(TestDatabase db) =>
        _app = new ReelgateFactory(db.ConnectionString, new Dictionary<string, string?> { ["Cors:AllowedOrigins:0"] = Allowed });

    public void Dispose() => _app.Dispose();

    private static HttpRequestMessage Preflight(string path, string origin) => new(HttpMethod.Options, path)
    {
        Headers = { { "Origin", origin }, { "Access-Control-Request-Method", "POST" }, { "Access-Control-Request-Headers", "authorization,idempotency-key,content-type" } },
    };

    [Fact]
    public async Task AllowedOrigin_GetsPreflightAndResponseHeaders()
    {
        using var client = _app.CreateApiClient();
        var preflight = await client.SendAsync(Preflight("/api/v1/render", Allowed));
        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        Assert.Equal(Allowed, preflight.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("true", preflight.Headers.GetValues("Access-Control-Allow-Credentials").Single());
        Assert.Contains("idempotency-key", preflight.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.OrdinalIgnoreCase);

        var user = await Api.RegisterAsync(_app);
        var key = await Api.CreateKeyAsync(user.Session);
        using var actual = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me") { Headers = { { "Origin", Allowed }, { "Authorization", $"Bearer {key}" } } };
        var response = await client.SendAsync(actual);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Allowed, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        var exposed = response.Headers.GetValues("Access-Control-Expose-Headers").Single();
        Assert.Contains("RateLimit-Remaining", exposed);
        Assert.Contains("Idempotent-Replayed", exposed);
    }

    [Fact]
    public async Task OtherOrigin_AndNonApiPaths_GetNoCorsHeaders()
    {
        using var client = _app.CreateApiClient();
        var refused = await client.SendAsync(Preflight("/api/v1/render", "https://evil.example"));
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));
        using var actual = new HttpRequestMessage(HttpMethod.Get, "/api/v1/billing/catalog") { Headers = { { "Origin", "https://evil.example" } } };
        Assert.False((await client.SendAsync(actual)).Headers.Contains("Access-Control-Allow-Origin"));

        var page = await client.SendAsync(Preflight("/signin", Allowed));
        Assert.False(page.Headers.Contains("Access-Control-Allow-Origin"));
    }
}
