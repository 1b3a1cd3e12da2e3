using System.Net;
using System.Net.Http.Json;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Integration;

public sealed class IdempotencyTests : IClassFixture<TestDatabase>, IDisposable
{
    private readonly ReelgateFactory _app;

    public IdempotencyTests(TestDatabase db) => _app = new ReelgateFactory(db.ConnectionString);

    public void Dispose() => _app.Dispose();

    private static HttpRequestMessage CreateKey(string idempotencyKey, string name) =>
        new(HttpMethod.Post, "/api/v1/keys") { Content = JsonContent.Create(new { name }), Headers = { { "Idempotency-Key", idempotencyKey } } };

    [Fact]
    public async Task SameKeyAndBody_ReplaysFirstResponse_AndCreatesOneKey()
    {
        var user = await Api.RegisterAsync(_app);
        var first = await user.Session.SendAsync(CreateKey("create-1", "deploy"));
        var second = await user.Session.SendAsync(CreateKey("create-1", "deploy"));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        var keys = await (await user.Session.GetAsync("/api/v1/keys")).JsonAsync();
        Assert.Single(keys.GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task SameKeyWithAnotherBody_Returns422()
    {
        var user = await Api.RegisterAsync(_app);
        await user.Session.SendAsync(CreateKey("create-2", "one"));
        var reused = await user.Session.SendAsync(CreateKey("create-2", "two"));
        await Api.AssertProblemAsync(reused, HttpStatusCode.UnprocessableEntity, "idempotency-key-reused");
    }

    [Fact]
    public async Task SameKeyFromAnotherUser_IsIndependent()
    {
        var alice = await Api.RegisterAsync(_app);
        var bob = await Api.RegisterAsync(_app);
        Assert.Equal(HttpStatusCode.Created, (await alice.Session.SendAsync(CreateKey("shared", "x"))).StatusCode);
        var bobs = await bob.Session.SendAsync(CreateKey("shared", "x"));
        Assert.Equal(HttpStatusCode.Created, bobs.StatusCode);
        Assert.False(bobs.Headers.Contains("Idempotent-Replayed"));
    }

    [Fact]
    public async Task ConcurrentRetries_CreateExactlyOneKey()
    {
        var user = await Api.RegisterAsync(_app);
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => user.Session.SendAsync(CreateKey("burst", "b"))));
        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        var keys = await (await user.Session.GetAsync("/api/v1/keys")).JsonAsync();
        Assert.Single(keys.GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task OverlongKey_Returns400()
    {
        var user = await Api.RegisterAsync(_app);
        var response = await user.Session.SendAsync(CreateKey(new string('k', 256), "x"));
        await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation");
    }
}
