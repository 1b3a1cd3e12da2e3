using System.Net;
using System.Net.Http.Json;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Webhooks;

public sealed class WebhookEndpointTests : IClassFixture<TestDatabase>, IDisposable
{
    private readonly TestDatabase _db;
    private readonly WebhookTestApp _app;

    public WebhookEndpointTests(TestDatabase db)
    {
        _db = db;
        _app = new WebhookTestApp(db.ConnectionString, new Dictionary<string, string?> { ["roles"] = "api" });
    }

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Put_CreatesASecretOnce_KeepsItOnLaterPuts_AndRotatesItWhenAsked()
    {
        var (_, client) = await _app.UserAsync();

        var first = await (await client.PutAsJsonAsync("/api/v1/webhook-endpoint", new { url = "http://127.0.0.1:9/hooks/a" })).JsonAsync();
        var second = await (await client.PutAsJsonAsync("/api/v1/webhook-endpoint", new { url = "http://127.0.0.1:9/hooks/b" })).JsonAsync();
        var rotated = await (await client.PutAsJsonAsync("/api/v1/webhook-endpoint", new { url = "http://127.0.0.1:9/hooks/b", rotateSecret = true })).JsonAsync();

        var secret = first.GetProperty("secret").GetString()!;
        Assert.Matches("^whsec_[A-Za-z0-9+/]{32}$", secret);
        Assert.Equal("http://127.0.0.1:9/hooks/a", first.GetProperty("url").GetString());
        Assert.Equal("http://127.0.0.1:9/hooks/b", second.GetProperty("url").GetString());
        Assert.Equal(secret, second.GetProperty("secret").GetString());
        Assert.NotEqual(secret, rotated.GetProperty("secret").GetString());
        Assert.Matches("^whsec_[A-Za-z0-9+/]{32}$", rotated.GetProperty("secret").GetString());
    }

    [Fact]
    public async Task Get_ShowsTheCallersEndpoint_AndAnotherUserSeesNone()
    {
        var (_, owner) = await _app.UserAsync();
        var (_, other) = await _app.UserAsync();
        var put = await (await owner.PutAsJsonAsync("/api/v1/webhook-endpoint", new { url = "http://127.0.0.1:9/hook" })).JsonAsync();

        var got = await owner.GetAsync("/api/v1/webhook-endpoint");

        Assert.Equal(HttpStatusCode.OK, got.StatusCode);
        var body = await got.JsonAsync();
        Assert.Equal("http://127.0.0.1:9/hook", body.GetProperty("url").GetString());
        Assert.Equal(put.GetProperty("secret").GetString(), body.GetProperty("secret").GetString());
        await Api.AssertProblemAsync(await other.GetAsync("/api/v1/webhook-endpoint"), HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Delete_RemovesTheEndpoint_AndASecondDeleteIs404()
    {
        var (_, client) = await _app.UserAsync();
        await client.PutAsJsonAsync("/api/v1/webhook-endpoint", new { url = "http://127.0.0.1:9/hook" });

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/v1/webhook-endpoint")).StatusCode);

        await Api.AssertProblemAsync(await client.GetAsync("/api/v1/webhook-endpoint"), HttpStatusCode.NotFound, "not-found");
        await Api.AssertProblemAsync(await client.DeleteAsync("/api/v1/webhook-endpoint"), HttpStatusCode.NotFound, "not-found");
    }

    [Theory]
    [InlineData(null, "is required.")]
    [InlineData("not a url", "absolute")]
    [InlineData("ftp://example.com/hook", "only http and https")]
    [InlineData("https://user:pass@example.com/hook", "credentials")]
    public async Task Put_AnUnusableUrl_Returns400AtUrl(string? url, string reason)
    {
        var (_, client) = await _app.UserAsync();

        var response = await client.PutAsJsonAsync("/api/v1/webhook-endpoint", new { url });

        var problem = await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation");
        Assert.Contains(reason, problem.GetProperty("errors").GetProperty("url")[0].GetString());
        await Api.AssertProblemAsync(await client.GetAsync("/api/v1/webhook-endpoint"), HttpStatusCode.NotFound, "not-found");
    }

    [Theory]
    [InlineData("http://10.0.0.1/hook", "private-network")]
    [InlineData("http://169.254.169.254/latest/meta-data", "link-local")]
    [InlineData("http://127.0.0.1:8080/hook", "loopback")]
    public async Task Put_APrivateRangeUrl_IsRefusedWhenPrivateNetworksAreNotAllowed(string url, string kind)
    {
        using var strict = new WebhookTestApp(_db.ConnectionString, new Dictionary<string, string?> { ["roles"] = "api", ["Fetch:AllowPrivateNetworks"] = "false" });
        var (_, client) = await strict.UserAsync();

        var response = await client.PutAsJsonAsync("/api/v1/webhook-endpoint", new { url });

        var problem = await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation");
        Assert.Contains(kind, problem.GetProperty("errors").GetProperty("url")[0].GetString());
        await Api.AssertProblemAsync(await client.GetAsync("/api/v1/webhook-endpoint"), HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Endpoints_WithoutAKey_Return401()
    {
        var anonymous = _app.App.CreateClient();

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PutAsJsonAsync("/api/v1/webhook-endpoint", new { url = "http://127.0.0.1:9/hook" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/webhook-deliveries")).StatusCode);
    }

    [Fact]
    public async Task Deliveries_WithABadCursorOrLimit_Return400AtThatField()
    {
        var (_, client) = await _app.UserAsync();

        var badLimit = await Api.AssertProblemAsync(await client.GetAsync("/api/v1/webhook-deliveries?limit=0"), HttpStatusCode.BadRequest, "validation");
        var badCursor = await Api.AssertProblemAsync(await client.GetAsync("/api/v1/webhook-deliveries?cursor=x"), HttpStatusCode.BadRequest, "validation");

        Assert.True(badLimit.GetProperty("errors").TryGetProperty("limit", out _));
        Assert.True(badCursor.GetProperty("errors").TryGetProperty("cursor", out _));
    }
}
