using System.Net;
using System.Net.Http.Json;
using Reelgate.Tests.Support;
using static Reelgate.Tests.Shotstack.ShotstackUsers;

namespace Reelgate.Tests.Shotstack;

/// <summary>Refusals raised by shared limits are answered in Shotstack's envelope on Shotstack routes, and as problems elsewhere.</summary>
public sealed class ShotstackLimitEnvelopeTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task RateLimited_ShotstackRoute_Returns429Envelope_WhileApiRoutesKeepProblems()
    {
        using var app = new ReelgateFactory(db.ConnectionString, new Dictionary<string, string?>(Settings) { ["RateLimit:Requests"] = "2", ["RateLimit:WindowSeconds"] = "3600" });
        var (_, client) = await CreateAsync(app, 0m);
        await client.PostAsJsonAsync("/edit/v1/templates", new { name = "a", template = Edit() });
        await client.PostAsJsonAsync("/edit/v1/templates", new { name = "b", template = Edit() });

        var limited = await client.PostAsJsonAsync("/edit/v1/templates", new { name = "c", template = Edit() });
        var served = await client.DeleteAsync($"/serve/v1/assets/{Guid.NewGuid()}");

        Assert.Contains("retry in", await AssertErrorAsync(limited, HttpStatusCode.TooManyRequests, "Too Many Requests"));
        await AssertErrorAsync(served, HttpStatusCode.TooManyRequests, "Too Many Requests");
        await Api.AssertProblemAsync(await client.PostAsJsonAsync("/api/v1/keys", new { name = "x" }), HttpStatusCode.TooManyRequests, "rate-limited");
    }

    [Fact]
    public async Task TooManyActiveJobs_OnTemplateRender_Returns429Envelope()
    {
        using var app = new ReelgateFactory(db.ConnectionString, new Dictionary<string, string?>(Settings) { ["Jobs:MaxActivePerUser"] = "1", ["roles"] = "api" });
        var (_, client) = await CreateAsync(app, 5m);
        var created = await client.PostAsJsonAsync("/edit/v1/templates", new { name = "t", template = Edit() });
        var id = (await created.JsonAsync()).GetProperty("response").GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/edit/v1/templates/render", new { id })).StatusCode);

        var second = await client.PostAsJsonAsync("/edit/v1/templates/render", new { id });

        Assert.Contains("at once", await AssertErrorAsync(second, HttpStatusCode.TooManyRequests, "Too Many Requests"));
    }
}
