using System.Net;
using System.Net.Http.Json;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Integration;

public sealed class AccountsAndKeysTests : IClassFixture<TestDatabase>, IDisposable
{
    private readonly ReelgateFactory _app;

    public AccountsAndKeysTests(TestDatabase db) => _app = new ReelgateFactory(db.ConnectionString);

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task CreatedKey_AuthenticatesMe_WithBearerAndXApiKeyHeaders()
    {
        var user = await Api.RegisterAsync(_app);
        var key = await Api.CreateKeyAsync(user.Session);
        Assert.StartsWith("rg_live_", key);

        using var anonymous = _app.CreateApiClient();
        using var bearer = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me") { Headers = { { "Authorization", $"Bearer {key}" } } };
        using var header = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me") { Headers = { { "x-api-key", key } } };
        foreach (var request in new[] { bearer, header })
        {
            var response = await anonymous.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var me = await response.JsonAsync();
            Assert.Equal(user.Id, me.GetProperty("id").GetGuid());
            Assert.Equal(user.Email, me.GetProperty("email").GetString());
            Assert.Equal("user", me.GetProperty("role").GetString());
            Assert.Equal(8, me.GetProperty("referralCode").GetString()!.Length);
        }
    }

    [Fact]
    public async Task KeyList_ShowsPrefixButNeverTheKey_AndRevokedKeyFails()
    {
        var user = await Api.RegisterAsync(_app);
        var key = await Api.CreateKeyAsync(user.Session, "ci");
        using var client = _app.CreateApiClient(key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me")).StatusCode);

        var list = await (await user.Session.GetAsync("/api/v1/keys")).JsonAsync();
        var entry = Assert.Single(list.GetProperty("data").EnumerateArray());
        Assert.Equal(key[..12], entry.GetProperty("prefix").GetString());
        Assert.False(entry.TryGetProperty("key", out _));
        Assert.DoesNotContain(key, list.GetRawText());
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, entry.GetProperty("lastUsedAt").ValueKind);

        var id = entry.GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NoContent, (await user.Session.DeleteAsync($"/api/v1/keys/{id}")).StatusCode);
        await Api.AssertProblemAsync(await client.GetAsync("/api/v1/me"), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task AnotherUsersKey_CannotBeSeenOrRevoked()
    {
        var owner = await Api.RegisterAsync(_app);
        var ownerKey = await Api.CreateKeyAsync(owner.Session);
        var ownerKeyId = (await (await owner.Session.GetAsync("/api/v1/keys")).JsonAsync()).GetProperty("data")[0].GetProperty("id").GetGuid();
        var intruder = await Api.RegisterAsync(_app);

        var intruderList = await (await intruder.Session.GetAsync("/api/v1/keys")).JsonAsync();
        Assert.Empty(intruderList.GetProperty("data").EnumerateArray());
        await Api.AssertProblemAsync(await intruder.Session.DeleteAsync($"/api/v1/keys/{ownerKeyId}"), HttpStatusCode.NotFound, "not-found");

        using var ownerClient = _app.CreateApiClient(ownerKey);
        Assert.Equal(HttpStatusCode.OK, (await ownerClient.GetAsync("/api/v1/me")).StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer rg_live_notarealkeyatallnotarealkeyat")]
    [InlineData("Bearer something-else")]
    public async Task Me_WithoutAValidKey_Returns401Problem(string? authorization)
    {
        using var client = _app.CreateApiClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        await Api.AssertProblemAsync(await client.SendAsync(request), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task Register_SameEmailTwice_Returns409EmailTaken()
    {
        var user = await Api.RegisterAsync(_app);
        using var client = _app.CreateApiClient();
        var response = await client.PostAsJsonAsync("/api/v1/auth/register", new { email = user.Email.ToUpperInvariant(), password = "another long password" });
        await Api.AssertProblemAsync(response, HttpStatusCode.Conflict, "email-taken");
    }

    [Fact]
    public async Task Login_SetsSessionCookie_AndLogoutEndsIt()
    {
        var user = await Api.RegisterAsync(_app);
        using var client = _app.CreateApiClient();
        var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = user.Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Contains(login.Headers.GetValues("Set-Cookie"), c => c.StartsWith("reelgate_session=", StringComparison.Ordinal) && c.Contains("httponly", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync("/api/v1/auth/logout", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task Login_AfterRepeatedFailures_LocksTheAccountEvenForTheRightPassword()
    {
        var user = await Api.RegisterAsync(_app);
        using var client = _app.CreateApiClient();
        for (var i = 0; i < 5; i++)
        {
            var wrong = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = "wrong password!" });
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }
        var locked = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = user.Password });
        await Api.AssertProblemAsync(locked, HttpStatusCode.Locked, "account-locked");
        Assert.True(locked.Headers.RetryAfter is not null);
    }

    [Fact]
    public async Task AdminEndpoint_AsUser_Returns403()
    {
        var user = await Api.RegisterAsync(_app);
        await Api.AssertProblemAsync(await user.Session.GetAsync("/api/v1/admin/ledger/verify"), HttpStatusCode.Forbidden, "forbidden");
        var key = await Api.CreateKeyAsync(user.Session);
        using var client = _app.CreateApiClient(key);
        await Api.AssertProblemAsync(await client.GetAsync("/api/v1/admin/users"), HttpStatusCode.Forbidden, "forbidden");
    }
}
