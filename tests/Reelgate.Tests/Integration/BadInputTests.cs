using System.Net;
using System.Text;
using Dapper;
using Npgsql;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Integration;

public sealed class BadInputTests : IClassFixture<TestDatabase>, IDisposable
{
    private readonly ReelgateFactory _app;
    private readonly TestDatabase _db;

    public BadInputTests(TestDatabase db)
    {
        _db = db;
        _app = new ReelgateFactory(db.ConnectionString);
    }

    public void Dispose() => _app.Dispose();

    private async Task<long> CountAsync(string table)
    {
        await using var connection = new NpgsqlConnection(_db.ConnectionString);
        return await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table}");
    }


    [Theory]
    [InlineData("{\"email\": \"a@b.c\", \"password\": ", "password")]
    [InlineData("{\"email\": 42, \"password\": \"long enough password\"}", "email")]
    [InlineData("{\"email\": \"a@b.c\", \"password\": \"long enough password\", \"admin\": true}", "admin")]
    [InlineData("{\"password\": \"long enough password\"}", "email")]
    [InlineData("{\"email\": \"not-an-email\", \"password\": \"long enough password\"}", "email")]
    [InlineData("{\"email\": \"a@b.c\", \"password\": \"short\"}", "password")]
    [InlineData("[1,2,3]", "body")]
    public async Task Register_WithBadBody_Returns400NamingTheFieldAndWritesNothing(string json, string field)
    {
        var before = await CountAsync("users");
        using var client = _app.CreateApiClient();

        var response = await client.PostAsync("/api/v1/auth/register", Api.Json(json));

        var problem = await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
        Assert.Equal(before, await CountAsync("users"));
    }

    [Fact]
    public async Task CreateKey_WithWrongTypes_Returns400AndCreatesNoKey()
    {
        var user = await Api.RegisterAsync(_app);
        var response = await user.Session.PostAsync("/api/v1/keys", Api.Json("{\"name\": {\"nested\": true}}"));
        var problem = await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation");
        Assert.True(problem.GetProperty("errors").TryGetProperty("name", out _));
        Assert.Equal(0, await CountAsync("api_keys"));
    }

    [Fact]
    public async Task OversizedBody_Returns413Problem()
    {
        var user = await Api.RegisterAsync(_app);
        var huge = "{\"name\": \"" + new string('x', 2 << 20) + "\"}";
        var response = await user.Session.PostAsync("/api/v1/keys", Api.Json(huge));
        await Api.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "body-too-large");
        Assert.Equal(0, await CountAsync("api_keys"));
    }

    [Fact]
    public async Task AdminCredits_WithNonNumericAmount_Returns400NotServerError()
    {
        // As an admin: a plain user would be refused with 403 before the body is read.
        var admin = await Api.AdminSessionAsync(_app);
        var user = await Api.RegisterAsync(_app);
        var response = await admin.PostAsync($"/api/v1/admin/users/{user.Id}/credits", Api.Json("{\"amount\": \"lots\", \"reason\": \"x\"}"));
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"got {(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/api/v1/credits/ledger?limit=0", "limit")]
    [InlineData("/api/v1/credits/ledger?limit=abc", null)]
    [InlineData("/api/v1/credits/ledger?cursor=zzz", "cursor")]
    [InlineData("/api/v1/credits/ledger?kind=gift", "kind")]
    public async Task Ledger_WithBadQuery_Returns400Problem(string url, string? field)
    {
        var user = await Api.RegisterAsync(_app);
        var response = await user.Session.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (field is not null) Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task UnknownRoute_Returns404Problem()
    {
        using var client = _app.CreateApiClient();
        var response = await client.GetAsync("/api/v1/nothing-here");
        await Api.AssertProblemAsync(response, HttpStatusCode.NotFound, "not-found");
    }

    [Theory]
    [InlineData("application/json; charset=nonsense")]
    [InlineData("application/json; charset=\"utf-9\"")]
    public async Task Body_InACharsetNoDecoderKnows_Returns415ProblemAndCreatesNothing(string contentType)
    {
        var user = await Api.RegisterAsync(_app);
        var body = new ByteArrayContent("{\"name\":\"x\"}"u8.ToArray());
        body.Headers.TryAddWithoutValidation("Content-Type", contentType);

        var response = await user.Session.PostAsync("/api/v1/keys", body);

        await Api.AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported-charset");
        Assert.Equal(0, await CountAsync("api_keys"));
    }

    [Fact]
    public async Task JsonEndpoint_SentAnotherContentType_Returns415ProblemOfOurOwnType()
    {
        var user = await Api.RegisterAsync(_app);

        var response = await user.Session.PostAsync("/api/v1/keys", new StringContent("{\"name\":\"x\"}", Encoding.UTF8, "text/plain"));

        await Api.AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
        Assert.Equal(0, await CountAsync("api_keys"));
    }
}
