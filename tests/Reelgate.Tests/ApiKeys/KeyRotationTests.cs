using System.Net;
using System.Net.Http.Json;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.ApiKeys;

/// <summary>Two instances on one database and one set of data-protection keys, as behind a load balancer.</summary>
public sealed class KeyRotationTests : IClassFixture<TestDatabase>, IDisposable
{
    private readonly ReelgateFactory _a;
    private readonly ReelgateFactory _b;

    public KeyRotationTests(TestDatabase db)
    {
        var shared = new Dictionary<string, string?> { ["DataProtection:KeysPath"] = Path.Combine(Path.GetTempPath(), "reelgate-tests", Guid.NewGuid().ToString("N")) };
        _a = new ReelgateFactory(db.ConnectionString, shared);
        _b = new ReelgateFactory(db.ConnectionString, shared);
    }

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
    }

    [Fact]
    public async Task RotatedKey_OldOneWorksOnBothInstancesInsideTheGrace_ThenFailsOnBoth()
    {
        var user = await Api.RegisterAsync(_a);
        var created = await user.Session.PostAsJsonAsync("/api/v1/keys", new { name = "n8n", scopes = new[] { "render", "jobs:read" } });
        var old = await created.JsonAsync();
        var oldKey = old.GetProperty("key").GetString()!;
        using var oldOnA = _a.CreateApiClient(oldKey);
        using var oldOnB = _b.CreateApiClient(oldKey);
        Assert.Equal(HttpStatusCode.OK, (await oldOnB.GetAsync("/api/v1/me")).StatusCode);

        var rotated = await user.Session.PostAsJsonAsync($"/api/v1/keys/{old.GetProperty("id").GetGuid()}/rotate", new { gracePeriodSeconds = 2 });
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var fresh = await rotated.JsonAsync();
        Assert.Equal("n8n", fresh.GetProperty("name").GetString());
        Assert.Equal(["render", "jobs:read"], fresh.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        using var newOnB = _b.CreateApiClient(fresh.GetProperty("key").GetString());

        Assert.Equal(HttpStatusCode.OK, (await oldOnA.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await oldOnB.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await newOnB.GetAsync("/api/v1/me")).StatusCode);
        await Api.AssertProblemAsync(await user.Session.PostAsJsonAsync($"/api/v1/keys/{old.GetProperty("id").GetGuid()}/rotate", new { }), HttpStatusCode.Conflict, "key-inactive");

        await Task.Delay(TimeSpan.FromSeconds(2.2));
        await Api.AssertProblemAsync(await oldOnA.GetAsync("/api/v1/me"), HttpStatusCode.Unauthorized, "key-expired");
        await Api.AssertProblemAsync(await oldOnB.GetAsync("/api/v1/me"), HttpStatusCode.Unauthorized, "key-expired");
        Assert.Equal(HttpStatusCode.OK, (await newOnB.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task RotateWithoutGrace_EndsTheOldKeyAtOnceOnTheOtherInstance()
    {
        var user = await Api.RegisterAsync(_a);
        var key = await Api.CreateKeyAsync(user.Session);
        using var onB = _b.CreateApiClient(key);
        Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync("/api/v1/me")).StatusCode);
        var id = (await (await user.Session.GetAsync("/api/v1/keys")).JsonAsync()).GetProperty("data")[0].GetProperty("id").GetGuid();

        Assert.Equal(HttpStatusCode.OK, (await user.Session.PostAsJsonAsync($"/api/v1/keys/{id}/rotate", new { gracePeriodSeconds = 0 })).StatusCode);

        await Api.AssertProblemAsync(await onB.GetAsync("/api/v1/me"), HttpStatusCode.Unauthorized, "key-expired");
    }

    [Fact]
    public async Task SignOut_EndsTheSessionOnTheOtherInstanceAtOnce()
    {
        var user = await Api.RegisterAsync(_a);
        var cookie = await SessionCookieAsync(_a, user);
        using var onB = _b.CreateApiClient();
        onB.DefaultRequestHeaders.Add("Cookie", cookie);
        Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync("/api/v1/me")).StatusCode);

        using var onA = _a.CreateApiClient();
        onA.DefaultRequestHeaders.Add("Cookie", cookie);
        Assert.Equal(HttpStatusCode.NoContent, (await onA.PostAsync("/api/v1/auth/logout", null)).StatusCode);

        await Api.AssertProblemAsync(await onB.GetAsync("/api/v1/me"), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task AdminEndsAllSessionsOfAUser_OnEveryInstance()
    {
        var user = await Api.RegisterAsync(_a);
        var first = await SessionCookieAsync(_a, user);
        var second = await SessionCookieAsync(_b, user);
        using var onB = _b.CreateApiClient();
        onB.DefaultRequestHeaders.Add("Cookie", first);
        Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync("/api/v1/me")).StatusCode);

        var admin = await Api.AdminSessionAsync(_a);
        var ended = await admin.PostAsync($"/api/v1/admin/users/{user.Id}/sessions/end", null);
        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        Assert.True((await ended.JsonAsync()).GetProperty("ended").GetInt32() >= 3);

        await Api.AssertProblemAsync(await onB.GetAsync("/api/v1/me"), HttpStatusCode.Unauthorized, "unauthenticated");
        using var secondOnA = _a.CreateApiClient();
        secondOnA.DefaultRequestHeaders.Add("Cookie", second);
        await Api.AssertProblemAsync(await secondOnA.GetAsync("/api/v1/me"), HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/me")).StatusCode);
    }

    private static async Task<string> SessionCookieAsync(ReelgateFactory app, Registered user)
    {
        using var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = false, AllowAutoRedirect = false });
        var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = user.Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        return login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("reelgate_session=", StringComparison.Ordinal)).Split(';')[0];
    }
}
