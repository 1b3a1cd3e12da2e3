using System.Net;
using System.Net.Http.Json;
using Dapper;
using Npgsql;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Limits;

/// <summary>Sign-ups and sign-ins per client address, through the API and the web forms, shared by every instance.</summary>
public sealed class ClientRateLimitTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    private const string Password = "correct horse battery";

    /// <summary>The test factory lifts both limits; null brings back the app's defaults.</summary>
    private ReelgateFactory App(params (string Key, string? Value)[] settings) =>
        new(db.ConnectionString, new Dictionary<string, string?>(settings.Select(s => KeyValuePair.Create(s.Key, s.Value))) { ["roles"] = "api" });

    /// <summary>Each test counts against addresses of its own, since the window outlives the test in the class's database.</summary>
    private static string NewAddress() => $"10.{Random.Shared.Next(256)}.{Random.Shared.Next(256)}.{Random.Shared.Next(1, 255)}";

    private static Task<HttpResponseMessage> RegisterAsync(HttpClient client, string? email = null) =>
        client.PostAsJsonAsync("/api/v1/auth/register", new { email = email ?? $"user-{Guid.NewGuid():N}@example.com", password = Password });

    private async Task<long> UsersNamedAsync(string email)
    {
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM users WHERE email = @email", new { email });
    }

    [Fact]
    public async Task Register_From_OneIp_Past_TheDefaultLimit_Returns429WithRetryAfter_AndCreatesNoAccount()
    {
        await using var app = App(("RateLimit:Registration:Requests", null));
        using var client = TestRemoteAddress.From(app, NewAddress());
        for (var i = 0; i < 10; i++) Assert.Equal(HttpStatusCode.Created, (await RegisterAsync(client)).StatusCode);

        var email = $"eleventh-{Guid.NewGuid():N}@example.com";
        var over = await RegisterAsync(client, email);

        var problem = await Api.AssertProblemAsync(over, HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.Contains("10 sign-ups per 3600 seconds", problem.GetProperty("detail").GetString());
        Assert.InRange(over.Headers.RetryAfter?.Delta?.TotalSeconds ?? 0, 1, 3600);
        Assert.Equal("10", over.Headers.GetValues("RateLimit-Limit").Single());
        Assert.Equal(0, await UsersNamedAsync(email));
        using var elsewhere = TestRemoteAddress.From(app, NewAddress());
        Assert.Equal(HttpStatusCode.Created, (await RegisterAsync(elsewhere, email)).StatusCode);
    }

    [Fact]
    public async Task Register_LimitSetByItsEnvironmentName_IsSharedByTwoInstances()
    {
        (string, string?)[] settings = [("RateLimit:Registration:Requests", null), ("RATE_LIMIT_REGISTRATIONS", "3")];
        await using var a = App(settings);
        await using var b = App(settings);
        var address = NewAddress();
        using var onA = TestRemoteAddress.From(a, address);
        using var onB = TestRemoteAddress.From(b, address);

        var statuses = new[]
        {
            (await RegisterAsync(onA)).StatusCode, (await RegisterAsync(onB)).StatusCode, (await RegisterAsync(onA)).StatusCode,
            (await RegisterAsync(onB)).StatusCode, (await RegisterAsync(onA)).StatusCode,
        };

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task Register_WithADifferentForwardedForEachTime_StillCountsTheConnectionsAddress()
    {
        await using var app = App(("RateLimit:Registration:Requests", "2"));
        using var client = TestRemoteAddress.From(app, NewAddress());

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/register")
            {
                Content = JsonContent.Create(new { email = $"user-{Guid.NewGuid():N}@example.com", password = Password }),
            };
            request.Headers.Add("X-Forwarded-For", NewAddress());
            request.Headers.Add("Forwarded", $"for={NewAddress()}");
            statuses.Add((await client.SendAsync(request)).StatusCode);
        }

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task Login_From_OneIp_Past_TheLimit_Returns429_EvenWithTheRightPassword_WithoutLockingTheAccount()
    {
        await using var app = App(("RateLimit:Login:Requests", "3"));
        var user = await Api.RegisterAsync(app);
        using var client = TestRemoteAddress.From(app, NewAddress());
        for (var i = 0; i < 3; i++)
        {
            var wrong = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = "not the password" });
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        var over = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = Password });

        await Api.AssertProblemAsync(over, HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.True(over.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.DoesNotContain(over.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith("reelgate_session=", StringComparison.Ordinal));
        using var elsewhere = TestRemoteAddress.From(app, NewAddress());
        Assert.Equal(HttpStatusCode.OK, (await elsewhere.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = Password })).StatusCode);
    }

    [Fact]
    public async Task Login_ByDefault_Allows30AttemptsPerAddressIn15Minutes()
    {
        await using var app = App(("RateLimit:Login:Requests", null));
        using var client = TestRemoteAddress.From(app, NewAddress());
        var nobody = new { email = $"nobody-{Guid.NewGuid():N}@example.com", password = Password };
        for (var i = 0; i < 30; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/v1/auth/login", nobody)).StatusCode);

        var over = await client.PostAsJsonAsync("/api/v1/auth/login", nobody);

        await Api.AssertProblemAsync(over, HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.InRange(over.Headers.RetryAfter?.Delta?.TotalSeconds ?? 0, 1, 900);
    }

    [Fact]
    public async Task SignUpForm_PastTheLimit_Answers429WithAMessage_AndCreatesNoAccount()
    {
        await using var app = App(("RateLimit:Registration:Requests", "1"));
        var address = NewAddress();
        using var browser = TestRemoteAddress.From(app, address);
        var first = await browser.PostAsync("/signup", await SignUpFormAsync(browser, $"first-{Guid.NewGuid():N}@example.com"));
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);

        using var next = TestRemoteAddress.From(app, address);
        var email = $"second-{Guid.NewGuid():N}@example.com";
        var refused = await next.PostAsync("/signup", await SignUpFormAsync(next, email));

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Contains("Too many sign-ups from your network. Try again in", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await UsersNamedAsync(email));
    }

    [Fact]
    public async Task SignInForm_PastTheLimit_Answers429WithAMessage_AndDoesNotSignIn()
    {
        await using var app = App(("RateLimit:Login:Requests", "1"));
        var user = await Api.RegisterAsync(app);
        using var browser = TestRemoteAddress.From(app, NewAddress());
        var wrong = await browser.PostAsync("/signin", await SignInFormAsync(browser, user.Email, "not the password"));
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);

        var refused = await browser.PostAsync("/signin", await SignInFormAsync(browser, user.Email, Password));

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Contains("Too many sign-in attempts from your network. Try again in", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/v1/me")).StatusCode);
    }

    private static async Task<FormUrlEncodedContent> SignUpFormAsync(HttpClient browser, string email) =>
        WebForms.Form(await WebForms.TokenAsync(browser, "/signup"), "signup", ("Form.Email", email), ("Form.Password", Password));

    private static async Task<FormUrlEncodedContent> SignInFormAsync(HttpClient browser, string email, string password) =>
        WebForms.Form(await WebForms.TokenAsync(browser, "/signin"), "signin", ("Form.Email", email), ("Form.Password", password));
}
