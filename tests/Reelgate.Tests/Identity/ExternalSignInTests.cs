using System.Net;
using System.Web;
using Microsoft.AspNetCore.Mvc.Testing;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Identity;

/// <summary>The real Google and OpenID Connect handlers against a fake provider on Kestrel, through the app's HTTP surface.</summary>
public sealed class ExternalSignInTests : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private readonly TestDatabase _db;
    private FakeIdentityProvider _idp = null!;
    private ReelgateFactory _app = null!;

    public ExternalSignInTests(TestDatabase db) => _db = db;

    public async Task InitializeAsync()
    {
        _idp = await FakeIdentityProvider.StartAsync();
        _app = new ReelgateFactory(_db.ConnectionString, new Dictionary<string, string?>
        {
            ["Auth:Google:ClientId"] = FakeIdentityProvider.ClientId,
            ["Auth:Google:ClientSecret"] = FakeIdentityProvider.ClientSecret,
            ["Auth:Google:AuthorizationEndpoint"] = _idp.Url("/authorize"),
            ["Auth:Google:TokenEndpoint"] = _idp.Url("/token"),
            ["Auth:Google:UserInformationEndpoint"] = _idp.Url("/userinfo"),
            ["Auth:Oidc:keycloak:Authority"] = _idp.Issuer,
            ["Auth:Oidc:keycloak:ClientId"] = FakeIdentityProvider.ClientId,
            ["Auth:Oidc:keycloak:ClientSecret"] = FakeIdentityProvider.ClientSecret,
            ["Auth:Oidc:keycloak:DisplayName"] = "Keycloak",
            ["Auth:Oidc:keycloak:RequireHttpsMetadata"] = "false",
        });
    }

    public async Task DisposeAsync()
    {
        _app.Dispose();
        await _idp.DisposeAsync();
    }

    private HttpClient Browser() =>
        _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = new Uri("https://localhost") });

    /// <summary>Follows the flow as a browser would; <paramref name="tamper"/> may rewrite the callback URL. Returns where it ends.</summary>
    private async Task<string> SignInAsync(HttpClient browser, string start = "/signin/external/Google", Func<string, string>? tamper = null)
    {
        var token = await WebForms.TokenAsync(browser, start.StartsWith("/account", StringComparison.Ordinal) ? "/account" : "/signin");
        var challenge = await browser.PostAsync(start, WebForms.Form(token, "external", ("returnUrl", "/jobs")));
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        var authorize = challenge.Headers.Location!;
        Assert.StartsWith(_idp.Issuer, authorize.ToString());

        using var provider = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var consent = await provider.GetAsync(authorize);
        Assert.Equal(HttpStatusCode.Redirect, consent.StatusCode);
        var callback = consent.Headers.Location!.ToString();
        var back = await browser.GetAsync(tamper is null ? callback : tamper(callback));
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        var next = back.Headers.Location!.ToString();
        if (!next.StartsWith("/signin/external/complete", StringComparison.Ordinal)) return next;
        var complete = await browser.GetAsync(next);
        Assert.Equal(HttpStatusCode.Redirect, complete.StatusCode);
        return complete.Headers.Location!.ToString();
    }

    private static async Task<Guid?> SignedInUserAsync(HttpClient browser)
    {
        var me = await browser.GetAsync("/api/v1/me");
        return me.StatusCode == HttpStatusCode.OK ? (await me.JsonAsync()).GetProperty("id").GetGuid() : null;
    }

    [Fact]
    public async Task Google_VerifiedEmailMatchingAnAccount_LinksToThatAccount()
    {
        var existing = await Api.RegisterAsync(_app);
        _idp.Next = new FakePerson("google-" + Guid.NewGuid().ToString("N"), existing.Email.ToUpperInvariant(), EmailVerified: true);
        using var browser = Browser();

        Assert.Equal("/jobs", await SignInAsync(browser));

        Assert.Equal(existing.Id, await SignedInUserAsync(browser));
        var identity = Assert.Single((await (await browser.GetAsync("/api/v1/me/identities")).JsonAsync()).GetProperty("data").EnumerateArray());
        Assert.Equal("https://accounts.google.com", identity.GetProperty("provider").GetString());
        Assert.Equal("Google", identity.GetProperty("providerName").GetString());
        var seenByPasswordSession = (await (await existing.Session.GetAsync("/api/v1/me/identities")).JsonAsync()).GetProperty("data")[0];
        Assert.Equal(identity.GetProperty("id").GetGuid(), seenByPasswordSession.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Google_UnverifiedEmailOfAnotherAccount_IsRefusedAndLinksNothing()
    {
        var existing = await Api.RegisterAsync(_app);
        _idp.Next = new FakePerson("google-" + Guid.NewGuid().ToString("N"), existing.Email, EmailVerified: false);
        using var browser = Browser();

        Assert.Equal("/signin?error=email-taken", await SignInAsync(browser));

        Assert.Null(await SignedInUserAsync(browser));
        Assert.Empty((await (await existing.Session.GetAsync("/api/v1/me/identities")).JsonAsync()).GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task Google_UnverifiedFreeEmail_GetsAnAccountOfItsOwn_AndTheSameOneNextTime()
    {
        var email = $"new-{Guid.NewGuid():N}@example.com";
        _idp.Next = new FakePerson("google-" + Guid.NewGuid().ToString("N"), email, EmailVerified: false);
        using var first = Browser();
        Assert.Equal("/jobs", await SignInAsync(first));
        var id = await SignedInUserAsync(first);
        Assert.NotNull(id);
        Assert.Equal(email, (await (await first.GetAsync("/api/v1/me")).JsonAsync()).GetProperty("email").GetString());

        using var second = Browser();
        Assert.Equal("/jobs", await SignInAsync(second));
        Assert.Equal(id, await SignedInUserAsync(second));
    }

    [Fact]
    public async Task Callback_WithForgedState_IsRefused()
    {
        _idp.Next = new FakePerson("google-" + Guid.NewGuid().ToString("N"), $"s-{Guid.NewGuid():N}@example.com", true);
        using var browser = Browser();

        var end = await SignInAsync(browser, tamper: url =>
        {
            var uri = new Uri(url);
            var query = HttpUtility.ParseQueryString(uri.Query);
            return $"{uri.AbsolutePath}?code={query["code"]}&state=forged{query["state"]![..20]}";
        });

        Assert.Equal("/signin?error=external-failed", end);
        Assert.Null(await SignedInUserAsync(browser));
    }

    [Fact]
    public async Task Callback_WhenTheCodeExchangeFails_IsRefused()
    {
        _idp.Next = new FakePerson("google-" + Guid.NewGuid().ToString("N"), $"f-{Guid.NewGuid():N}@example.com", true);
        _idp.FailTokenExchange = true;
        using var browser = Browser();

        Assert.Equal("/signin?error=external-failed", await SignInAsync(browser));
        Assert.Null(await SignedInUserAsync(browser));
    }

    [Fact]
    public async Task Oidc_SignIn_ChecksTheIdTokenAndStoresTheIssuerAsProvider()
    {
        _idp.Next = new FakePerson("kc-" + Guid.NewGuid().ToString("N"), $"kc-{Guid.NewGuid():N}@example.com", true);
        using var browser = Browser();

        Assert.Equal("/jobs", await SignInAsync(browser, "/signin/external/oidc-keycloak"));

        Assert.NotNull(await SignedInUserAsync(browser));
        var identity = Assert.Single((await (await browser.GetAsync("/api/v1/me/identities")).JsonAsync()).GetProperty("data").EnumerateArray());
        Assert.Equal(_idp.Issuer, identity.GetProperty("provider").GetString());
        Assert.Equal("Keycloak", identity.GetProperty("providerName").GetString());
        Assert.True(identity.GetProperty("emailVerified").GetBoolean());
    }

    [Fact]
    public async Task Unlink_TheLastWayToSignIn_IsRefused_UntilAnotherIsLinked()
    {
        _idp.Next = new FakePerson("google-" + Guid.NewGuid().ToString("N"), $"u-{Guid.NewGuid():N}@example.com", true);
        using var browser = Browser();
        await SignInAsync(browser);
        var google = (await (await browser.GetAsync("/api/v1/me/identities")).JsonAsync()).GetProperty("data")[0].GetProperty("id").GetGuid();

        await Api.AssertProblemAsync(await browser.DeleteAsync($"/api/v1/me/identities/{google}"), HttpStatusCode.Conflict, "last-sign-in-method");

        _idp.Next = new FakePerson("kc-" + Guid.NewGuid().ToString("N"), "someone-else@example.com", false);
        Assert.StartsWith("/account?linked=", await SignInAsync(browser, "/account/identities/link/oidc-keycloak"));
        Assert.Equal(2, (await (await browser.GetAsync("/api/v1/me/identities")).JsonAsync()).GetProperty("data").GetArrayLength());
        Assert.Equal(HttpStatusCode.NoContent, (await browser.DeleteAsync($"/api/v1/me/identities/{google}")).StatusCode);
        Assert.Single((await (await browser.GetAsync("/api/v1/me/identities")).JsonAsync()).GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task SignInPage_ShowsContinueWithGoogle()
    {
        using var browser = Browser();
        var html = await browser.GetStringAsync("/signin");
        Assert.Contains("Continue with Google", html);
        Assert.Contains("action=\"/signin/external/Google\"", html);
        Assert.Contains("Continue with Keycloak", await browser.GetStringAsync("/signup"));
    }
}
