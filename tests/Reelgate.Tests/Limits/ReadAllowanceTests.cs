using System.Net;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Limits;

/// <summary>Polling one's own jobs counts against the read allowance, not the request limit.</summary>
public sealed class ReadAllowanceTests : IClassFixture<TestDatabase>, IDisposable
{
    private readonly ReelgateFactory _app;

    public ReadAllowanceTests(TestDatabase db) =>
        _app = new ReelgateFactory(db.ConnectionString, new Dictionary<string, string?>
        {
            ["RATE_LIMIT_REQUESTS"] = "3",
            ["RATE_LIMIT_READ_REQUESTS"] = "8",
            ["roles"] = "api",
        });

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task JobReads_PastTheRequestLimit_AreServedFromTheReadAllowance()
    {
        var user = await Api.RegisterAsync(_app);
        using var client = _app.CreateApiClient(await Api.CreateKeyAsync(user.Session));

        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me")).StatusCode);
        await Api.AssertProblemAsync(await client.GetAsync("/api/v1/me"), HttpStatusCode.TooManyRequests, "rate-limited");

        var read = await client.GetAsync("/api/v1/jobs");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("8", read.Headers.GetValues("RateLimit-Limit").Single());
        Assert.Equal("7", read.Headers.GetValues("RateLimit-Remaining").Single());
        Assert.StartsWith("\"read\";r=7;t=", read.Headers.GetValues("RateLimit").Single());
        Assert.Equal("\"default\";q=3;w=3600, \"read\";q=8;w=3600", read.Headers.GetValues("RateLimit-Policy").Single());
        var unknownJob = await client.GetAsync($"/api/v1/job/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, unknownJob.StatusCode);
        Assert.Equal("6", unknownJob.Headers.GetValues("RateLimit-Remaining").Single());
    }

    [Fact]
    public async Task OtherRequests_NameTheDefaultPolicy_AndReadsPastTheirAllowanceAre429()
    {
        var user = await Api.RegisterAsync(_app);
        using var client = _app.CreateApiClient(await Api.CreateKeyAsync(user.Session));

        var me = await client.GetAsync("/api/v1/me");
        Assert.Equal("3", me.Headers.GetValues("RateLimit-Limit").Single());
        Assert.StartsWith("\"default\";r=2;t=", me.Headers.GetValues("RateLimit").Single());

        for (var i = 0; i < 8; i++) Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/edit/v1/render/{Guid.NewGuid()}")).StatusCode);
        var over = await client.GetAsync("/api/v1/jobs");
        var problem = await Api.AssertProblemAsync(over, HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.Contains("8 reads of its jobs", problem.GetProperty("detail").GetString());
        Assert.True(over.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me")).StatusCode);
    }
}
