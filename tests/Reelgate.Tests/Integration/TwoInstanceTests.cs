using System.Net;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Integration;

/// <summary>Two app instances on one database, as behind a load balancer.</summary>
public sealed class TwoInstanceTests : IClassFixture<TestDatabase>, IDisposable
{
    private static readonly Dictionary<string, string?> Limit100 = new() { ["RateLimit:Requests"] = "100", ["RateLimit:WindowSeconds"] = "3600" };
    private readonly ReelgateFactory _a;
    private readonly ReelgateFactory _b;

    public TwoInstanceTests(TestDatabase db)
    {
        _a = new ReelgateFactory(db.ConnectionString, Limit100);
        _b = new ReelgateFactory(db.ConnectionString, Limit100);
    }

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
    }

    [Fact]
    public async Task RateLimit_101stRequestAcrossTwoInstances_Returns429WithRetryAfter()
    {
        var user = await Api.RegisterAsync(_a);
        var key = await Api.CreateKeyAsync(user.Session);
        using var a = _a.CreateApiClient(key);
        using var b = _b.CreateApiClient(key);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 100; i++)
        {
            var response = await (i % 2 == 0 ? a : b).GetAsync("/api/v1/me");
            statuses.Add(response.StatusCode);
            Assert.Equal("100", response.Headers.GetValues("RateLimit-Limit").Single());
            Assert.True(int.Parse(response.Headers.GetValues("RateLimit-Remaining").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 0);
        }
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));

        var over = await b.GetAsync("/api/v1/me");
        await Api.AssertProblemAsync(over, HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.True(over.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal("0", over.Headers.GetValues("RateLimit-Remaining").Single());
        Assert.Equal(HttpStatusCode.TooManyRequests, (await a.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task RateLimit_ConcurrentBurstOnTwoInstances_NeverAdmitsMoreThanALimitAndAFew()
    {
        var user = await Api.RegisterAsync(_a);
        var key = await Api.CreateKeyAsync(user.Session);
        using var a = _a.CreateApiClient(key);
        using var b = _b.CreateApiClient(key);

        var responses = await Task.WhenAll(Enumerable.Range(0, 300).Select(i => (i % 2 == 0 ? a : b).GetAsync("/api/v1/me")));

        var admitted = responses.Count(r => r.StatusCode == HttpStatusCode.OK);
        Assert.InRange(admitted, 95, 105);
        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
    }

    [Fact]
    public async Task RevokedKey_FailsAtOnceOnTheOtherInstance()
    {
        var user = await Api.RegisterAsync(_a);
        var key = await Api.CreateKeyAsync(user.Session);
        using var onB = _b.CreateApiClient(key);
        Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync("/api/v1/me")).StatusCode);
        var keyId = (await (await user.Session.GetAsync("/api/v1/keys")).JsonAsync()).GetProperty("data")[0].GetProperty("id").GetGuid();

        Assert.Equal(HttpStatusCode.NoContent, (await user.Session.DeleteAsync($"/api/v1/keys/{keyId}")).StatusCode);

        await Api.AssertProblemAsync(await onB.GetAsync("/api/v1/me"), HttpStatusCode.Unauthorized, "unauthenticated");
    }
}
