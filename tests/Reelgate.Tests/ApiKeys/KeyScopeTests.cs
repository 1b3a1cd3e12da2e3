using System.Net;
using System.Net.Http.Json;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.ApiKeys;

public sealed class KeyScopeTests : IClassFixture<TestDatabase>, IDisposable
{
    private static readonly string[] AllButAdmin = ["render", "generate", "jobs:read", "projects", "billing", "webhooks"];
    private static readonly string Id = Guid.NewGuid().ToString();
    private readonly ReelgateFactory _app;

    public KeyScopeTests(TestDatabase db) => _app = new ReelgateFactory(db.ConnectionString);

    public void Dispose() => _app.Dispose();

    /// <summary>Every endpoint group and the scope it needs.</summary>
    public static TheoryData<string, string, string> Endpoints => new()
    {
        { "POST", "/api/v1/render", "render" },
        { "POST", $"/api/v1/jobs/{Id}/cancel", "render" },
        { "POST", "/edit/v1/render", "render" },
        { "POST", "/v1/render", "render" },
        { "GET", "/api/v1/jobs", "jobs:read" },
        { "GET", $"/api/v1/job/{Id}", "jobs:read" },
        { "GET", $"/api/v1/videos/{Id}", "jobs:read" },
        { "GET", $"/api/v1/render/{Id}", "jobs:read" },
        { "GET", $"/edit/v1/render/{Id}", "jobs:read" },
        { "POST", "/api/v1/generate", "generate" },
        { "POST", "/api/v1/uploads", "generate" },
        { "GET", "/api/v1/credits", "billing" },
        { "GET", "/api/v1/credits/ledger", "billing" },
        { "POST", "/api/v1/credits/purchase", "billing" },
        { "GET", "/api/v1/payments", "billing" },
        { "GET", "/api/v1/usage", "billing" },
        { "GET", "/api/v1/webhook-endpoint", "webhooks" },
        { "GET", "/api/v1/webhook-deliveries", "webhooks" },
        { "GET", "/api/v1/projects", "projects" },
        { "POST", "/api/v1/clips", "projects" },
    };

    private static async Task<string> KeyAsync(HttpClient session, IEnumerable<string> scopes)
    {
        var response = await session.PostAsJsonAsync("/api/v1/keys", new { name = "scoped", scopes });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("key").GetString()!;
    }

    private Task<HttpResponseMessage> SendAsync(string key, string method, string path) =>
        _app.CreateApiClient(key).SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = Body(method, path) });

    private static HttpContent? Body(string method, string path) =>
        method != "POST" ? null : path.EndsWith("/uploads", StringComparison.Ordinal) ? new MultipartFormDataContent { { new StringContent("x"), "note" } } : Api.Json("{}");

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task KeyWithoutTheScope_Gets403NamingIt_AndWithItIsLetThrough(string method, string path, string scope)
    {
        var user = await Api.RegisterAsync(_app);
        var without = await KeyAsync(user.Session, AllButAdmin.Where(s => s != scope));
        var with = await KeyAsync(user.Session, [scope]);

        var response = await SendAsync(without, method, path);
        if (path.StartsWith("/api/", StringComparison.Ordinal))
        {
            var refused = await Api.AssertProblemAsync(response, HttpStatusCode.Forbidden, "insufficient-scope");
            Assert.Equal(scope, refused.GetProperty("scope").GetString());
        }
        else
        {
            // Shotstack routes answer in Shotstack's envelope, which SDKs read.
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains($"'{scope}' scope", (await response.JsonAsync()).GetProperty("response").GetProperty("error").GetString());
        }
        var allowed = await SendAsync(with, method, path);
        Assert.NotEqual(HttpStatusCode.Forbidden, allowed.StatusCode);
        Assert.NotEqual(HttpStatusCode.Unauthorized, allowed.StatusCode);
    }

    [Fact]
    public async Task AdminEndpoints_NeedTheAdminScope_EvenForAnAdminsKey()
    {
        var admin = await Api.AdminSessionAsync(_app);
        var plain = await KeyAsync(admin, AllButAdmin);
        var full = await KeyAsync(admin, ["admin"]);

        await Api.AssertProblemAsync(await SendAsync(plain, "GET", "/api/v1/admin/users"), HttpStatusCode.Forbidden, "insufficient-scope");
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(full, "GET", "/api/v1/admin/users")).StatusCode);
    }

    [Fact]
    public async Task AdminScope_IsRefusedToAUser_AndUnknownScopesNamed()
    {
        var user = await Api.RegisterAsync(_app);
        var response = await user.Session.PostAsJsonAsync("/api/v1/keys", new { name = "x", scopes = new[] { "render", "admin", "everything" } });
        var problem = await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation");
        Assert.True(problem.GetProperty("errors").TryGetProperty("scopes[1]", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("scopes[2]", out _));
    }

    [Fact]
    public async Task AKey_CannotMakeAKeyThatDoesMoreThanItself()
    {
        var user = await Api.RegisterAsync(_app);
        var narrow = await KeyAsync(user.Session, ["jobs:read"]);
        var response = await _app.CreateApiClient(narrow).PostAsJsonAsync("/api/v1/keys", new { name = "wider", scopes = new[] { "render" } });
        var problem = await Api.AssertProblemAsync(response, HttpStatusCode.Forbidden, "insufficient-scope");
        Assert.Equal("render", problem.GetProperty("scope").GetString());
    }

    [Fact]
    public async Task ExpiredKey_Gets401KeyExpired_AndAPastExpiryIsRefused()
    {
        var user = await Api.RegisterAsync(_app);
        var past = await user.Session.PostAsJsonAsync("/api/v1/keys", new { name = "x", expiresAt = DateTime.UtcNow.AddMinutes(-1) });
        Assert.True((await Api.AssertProblemAsync(past, HttpStatusCode.BadRequest, "validation")).GetProperty("errors").TryGetProperty("expiresAt", out _));

        var created = await user.Session.PostAsJsonAsync("/api/v1/keys", new { name = "short", expiresAt = DateTime.UtcNow.AddSeconds(1.5) });
        var key = (await created.JsonAsync()).GetProperty("key").GetString()!;
        using var client = _app.CreateApiClient(key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me")).StatusCode);

        await Task.Delay(TimeSpan.FromSeconds(1.6));
        await Api.AssertProblemAsync(await client.GetAsync("/api/v1/me"), HttpStatusCode.Unauthorized, "key-expired");
    }

    [Fact]
    public async Task AdminRateLimitOverride_AppliesToTheKey_AndIsForAdminsOnly()
    {
        var user = await Api.RegisterAsync(_app);
        var key = await Api.CreateKeyAsync(user.Session);
        var keyId = (await (await user.Session.GetAsync("/api/v1/keys")).JsonAsync()).GetProperty("data")[0].GetProperty("id").GetGuid();

        await Api.AssertProblemAsync(await user.Session.PutAsJsonAsync($"/api/v1/admin/keys/{keyId}/rate-limit", new { requests = 2, windowSeconds = 60 }),
            HttpStatusCode.Forbidden, "forbidden");
        var admin = await Api.AdminSessionAsync(_app);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync($"/api/v1/admin/keys/{keyId}/rate-limit", new { requests = 2, windowSeconds = 60 })).StatusCode);

        using var client = _app.CreateApiClient(key);
        Assert.Equal("2", (await client.GetAsync("/api/v1/me")).Headers.GetValues("RateLimit-Limit").Single());
        await client.GetAsync("/api/v1/me");
        await Api.AssertProblemAsync(await client.GetAsync("/api/v1/me"), HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsJsonAsync($"/api/v1/admin/keys/{keyId}/rate-limit", new { requests = 2 })).StatusCode);
    }
}
