using System.Net;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Web;

public sealed class WebPagesTests(TestDatabase db) : IClassFixture<TestDatabase>, IDisposable
{
    private readonly ReelgateFactory _app = new(db.ConnectionString, new Dictionary<string, string?> { ["roles"] = "api" });

    public void Dispose() => _app.Dispose();

    [Theory]
    [InlineData("/")]
    [InlineData("/keys")]
    [InlineData("/admin")]
    public async Task Pages_WhenSignedOut_RedirectToSignIn_WhileTheApiAnswers401(string path)
    {
        var client = _app.CreateApiClient();

        var page = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal($"/signin?ReturnUrl={Uri.EscapeDataString(path)}", page.Headers.Location?.PathAndQuery);
        await Api.AssertProblemAsync(await client.GetAsync("/api/v1/me"), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task BlazorScript_NamedByThePage_IsServedAsJavaScript()
    {
        var client = _app.CreateApiClient();
        var page = await client.GetStringAsync("/signin");
        var src = System.Text.RegularExpressions.Regex.Match(page, "<script src=\"(/?_framework/blazor\\.web[^\"]*\\.js)\"").Groups[1].Value;
        Assert.NotEmpty(src);

        foreach (var path in new[] { "/" + src.TrimStart('/'), "/_framework/blazor.web.js" })
        {
            var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("Blazor", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task SignInForm_WithItsAntiforgeryToken_SignsIn_WithAnHttpOnlySessionCookie()
    {
        var user = await Api.RegisterAsync(_app);
        var client = _app.CreateApiClient();
        var token = await WebForms.TokenAsync(client, "/signin");

        var response = await client.PostAsync("/signin", WebForms.Form(token, "signin", ("Form.Email", user.Email), ("Form.Password", user.Password)));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("reelgate_session=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task SignInForm_WithoutAntiforgeryToken_IsRefused()
    {
        var user = await Api.RegisterAsync(_app);
        var client = _app.CreateApiClient();

        var response = await client.PostAsync("/signin", WebForms.Form(null, "signin", ("Form.Email", user.Email), ("Form.Password", user.Password)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith("reelgate_session=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SignOut_WithoutAntiforgeryToken_KeepsTheSession()
    {
        var user = await Api.RegisterAsync(_app);

        var response = await user.Session.PostAsync("/signout", new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await user.Session.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task SignOut_WithTheTokenFromAPage_EndsTheSession()
    {
        var user = await Api.RegisterAsync(_app);
        var token = await WebForms.TokenAsync(user.Session, "/");

        var response = await user.Session.PostAsync("/signout", new FormUrlEncodedContent([new("__RequestVerificationToken", token)]));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await user.Session.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task JobPage_ForAJobThatIsNotTheCallers_Answers404()
    {
        var user = await Api.RegisterAsync(_app);

        var response = await user.Session.GetAsync($"/jobs/{Guid.CreateVersion7()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Nothing here", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
