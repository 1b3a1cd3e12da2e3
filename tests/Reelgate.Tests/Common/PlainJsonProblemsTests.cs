using System.Net;
using System.Text.Json;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Common;

/// <summary>Errors reach clients that only parse application/json (n8n's HTTP Request node) as application/json.</summary>
public sealed class PlainJsonProblemsTests : IClassFixture<TestDatabase>, IDisposable
{
    private readonly ReelgateFactory _app;

    public PlainJsonProblemsTests(TestDatabase db) => _app = new ReelgateFactory(db.ConnectionString, new Dictionary<string, string?> { ["roles"] = "api" });

    public void Dispose() => _app.Dispose();

    private async Task<HttpResponseMessage> BadRenderAsync(string? accept)
    {
        var user = await Api.RegisterAsync(_app);
        using var client = _app.CreateApiClient(await Api.CreateKeyAsync(user.Session));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/render") { Content = Api.Json("""{"timeline": {"tracks": []}}""") };
        if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);
        return await client.SendAsync(request);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json, text/plain, */*")]
    [InlineData("application/problem+json;q=0, application/json")]
    public async Task Error_WhenAcceptListsJsonButNotProblemJson_IsApplicationJsonWithTheSameBody(string accept)
    {
        var response = await BadRenderAsync(accept);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("/problems/validation", body.GetProperty("type").GetString());
        Assert.True(body.GetProperty("errors").EnumerateObject().Any());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("*/*")]
    [InlineData("application/problem+json, application/json")]
    public async Task Error_OtherwiseStaysProblemJson(string? accept)
    {
        var response = await BadRenderAsync(accept);

        await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation");
    }

    [Fact]
    public async Task Unauthenticated_WithPlainJsonAccept_IsApplicationJson()
    {
        using var client = _app.CreateApiClient("rg_live_notarealkeynotarealkeynotareal00");
        client.DefaultRequestHeaders.Accept.ParseAdd("application/json");

        var response = await client.GetAsync("/api/v1/me");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("/problems/unauthenticated", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("type").GetString());
    }
}
