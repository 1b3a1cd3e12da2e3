using Reelgate.BrowserTests.Support;
using static Microsoft.Playwright.Assertions;

namespace Reelgate.BrowserTests;

public sealed class GoogleSignInTests(GoogleSignInApp app) : IClassFixture<GoogleSignInApp>
{
    [Fact]
    public async Task ContinueWithGoogle_SignsInAndTheAccountPageShowsTheIdentity()
    {
        app.NextEmail = $"google-{Guid.NewGuid():N}@example.com";
        var page = await app.NewPageAsync();
        await page.GotoAsync("/signin");
        await WebApp.ScreenshotAsync(page, "signin-google");

        await page.GetByRole(AriaRole.Button, new() { Name = "Continue with Google" }).ClickAsync();
        // Arriving at the dashboard is what counts; the checks below wait for what they read. Not "commit": when the URL
        // is already reached, Playwright then waits for a load state of that name, which never comes.
        await page.WaitForURLAsync(app.Server.BaseUrl + "/", new() { WaitUntil = WaitUntilState.DOMContentLoaded });

        var me = WebApp.Json(await page.EvaluateAsync<string>("async () => await (await fetch('/api/v1/me')).text()"));
        Assert.Equal(app.NextEmail, me.GetProperty("email").GetString());
        await page.GetByRole(AriaRole.Link, new() { Name = "Account" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "Google", Exact = true })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Unlink Google" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("only way to sign in");
        await WebApp.ScreenshotAsync(page, "account-identities");
    }
}
