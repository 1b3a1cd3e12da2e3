using System.Text.RegularExpressions;
using Reelgate.BrowserTests.Support;
using static Microsoft.Playwright.Assertions;

namespace Reelgate.BrowserTests;

public sealed partial class WebAppTests(WebApp app) : IClassFixture<WebApp>
{
    private const string TinyEdit = """
        {"timeline":{"tracks":[{"clips":[{"asset":{"type":"title","text":"Tiny"},"start":0,"length":1}]}]},
         "output":{"format":"mp4","size":{"width":160,"height":90},"fps":12}}
        """;

    [Fact]
    public async Task CreatedKey_IsShownOnce_AndTheCopiedValueAuthenticatesAgainstTheApi()
    {
        var (page, email) = await app.SignUpAsync(screenshot: "signup");
        await page.GetByRole(AriaRole.Link, new() { Name = "API keys" }).ClickAsync();
        await Expect(page.GetByText("No keys yet")).ToBeVisibleAsync();

        await page.GetByLabel("Name").FillAsync("n8n");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();
        await Expect(page.GetByTestId("new-key")).ToContainTextAsync("rg_");
        await page.GetByRole(AriaRole.Button, new() { Name = "Copy" }).ClickAsync();
        var copied = await page.EvaluateAsync<string>("navigator.clipboard.readText()");
        await WebApp.ScreenshotAsync(page, "keys");

        using var client = app.Client(copied);
        var me = WebApp.Json(await client.GetStringAsync("/api/v1/me"));
        Assert.Equal(email, me.GetProperty("email").GetString());

        await page.ReloadAsync();
        await Expect(page.GetByTestId("new-key")).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "n8n", Exact = true })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task RenderedExample_IsFollowedLiveToDone_ThenPlaysAndDownloadsAnMp4()
    {
        var (page, _) = await app.SignUpAsync();
        await app.GrantAsync(await WebApp.UserIdAsync(page), 5m);
        await page.GetByRole(AriaRole.Link, new() { Name = "New video" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Title card" }).ClickAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Check price" }).ClickAsync();
        await Expect(page.GetByTestId("quote")).ToContainTextAsync("0.10 credits");
        await WebApp.ScreenshotAsync(page, "create-render");
        await page.GetByRole(AriaRole.Button, new() { Name = "Render", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(JobUrl());
        await page.EvaluateAsync("window.__sameDocument = true");

        var shown = await WaitForStatusAsync(page, "done", TimeSpan.FromSeconds(60));
        Assert.True(shown == "done", $"the page shows '{shown}' while the API says: {await ApiJobAsync(page)}");
        Assert.True(await page.EvaluateAsync<bool>("window.__sameDocument === true"), "the job page reloaded instead of updating in place");

        var playing = await page.EvaluateAsync<double>("""
            async () => {
              const video = document.querySelector('video');
              video.muted = true;
              await video.play();
              await new Promise(resolve => setTimeout(resolve, 700));
              return video.currentTime;
            }
            """);
        Assert.True(playing > 0, $"the video did not play (currentTime {playing})");
        await WebApp.ScreenshotAsync(page, "job-done");

        var href = await page.GetByTestId("download").GetAttributeAsync("href");
        using var client = app.Client();
        using var download = await client.GetAsync(href);
        var bytes = await download.Content.ReadAsByteArrayAsync();
        Assert.Equal("video/mp4", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("ftyp", System.Text.Encoding.ASCII.GetString(bytes, 4, 4));

        await page.GetByRole(AriaRole.Link, new() { Name = "Dashboard" }).ClickAsync();
        await Expect(page.Locator(".job-row .badge")).ToHaveTextAsync("done");
        await Expect(page.GetByTestId("credits-available")).ToHaveTextAsync("4.90");
        await WebApp.ScreenshotAsync(page, "dashboard");
    }

    [Fact]
    public async Task UsagePage_ChartsTodaysJobsAndCredits()
    {
        var (page, _) = await app.SignUpAsync();
        await app.GrantAsync(await WebApp.UserIdAsync(page), 1m);
        await WebApp.SubmitAsync(page, TinyEdit);

        await page.GetByRole(AriaRole.Link, new() { Name = "Usage" }).ClickAsync();
        await page.WaitForFunctionAsync("() => window.Chart && Chart.getChart(document.getElementById('jobs-chart'))");

        var jobsToday = await page.EvaluateAsync<double>("""
            () => Chart.getChart(document.getElementById('jobs-chart')).data.datasets.reduce((sum, d) => sum + d.data.at(-1), 0)
            """);
        Assert.Equal(1, jobsToday);
        await WebApp.ScreenshotAsync(page, "usage");
    }

    [Fact]
    public async Task AdminAdjustment_WithAReason_IsSeenByTheUser()
    {
        var (user, email) = await app.SignUpAsync();
        await Expect(user.GetByTestId("credits-available")).ToHaveTextAsync("0.00");
        await WebApp.ScreenshotAsync(user, "dashboard-empty");

        var admin = await app.SignInAsAdminAsync();
        await admin.GetByRole(AriaRole.Link, new() { Name = "Admin" }).ClickAsync();
        await admin.GetByLabel("Email contains").FillAsync(email);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await WebApp.ScreenshotAsync(admin, "admin-users");
        await admin.GetByRole(AriaRole.Link, new() { Name = email }).ClickAsync();

        await admin.GetByLabel("Amount (credits)").FillAsync("7.5");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Apply adjustment" }).ClickAsync();
        await Expect(admin.Locator("#reason:invalid")).ToHaveCountAsync(1);
        await Expect(admin.GetByTestId("admin-available")).ToHaveTextAsync("0.00");
        await admin.GetByLabel("Reason").FillAsync("support ticket 42");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Apply adjustment" }).ClickAsync();
        await Expect(admin.GetByTestId("admin-available")).ToHaveTextAsync("7.50");
        await Expect(admin.GetByRole(AriaRole.Cell, new() { Name = "support ticket 42" })).ToBeVisibleAsync();
        await WebApp.ScreenshotAsync(admin, "admin-user");

        await user.ReloadAsync();
        await Expect(user.GetByTestId("credits-available")).ToHaveTextAsync("7.50");
    }

    [Fact]
    public async Task AdminPages_ListJobsAndSpend_AndVerifyTheLedger()
    {
        var admin = await app.SignInAsAdminAsync();
        await WebApp.SubmitAsync(admin, TinyEdit);

        await admin.GotoAsync("/admin/jobs");
        await Expect(admin.Locator("tbody tr").First).ToContainTextAsync(ReelgateServer.AdminEmail);
        await WebApp.ScreenshotAsync(admin, "admin-jobs");
        await admin.GetByRole(AriaRole.Link, new() { Name = "Spend" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Spend and margin" })).ToBeVisibleAsync();
        await WebApp.ScreenshotAsync(admin, "admin-spend");
        await admin.GetByRole(AriaRole.Link, new() { Name = "Ledger" }).ClickAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Verify now" }).ClickAsync();
        await Expect(admin.GetByTestId("ledger-result")).ToContainTextAsync("accounts balance");
        await WebApp.ScreenshotAsync(admin, "admin-ledger");
    }

    [Fact]
    public async Task AnotherUsersJobPage_Answers404()
    {
        var (owner, _) = await app.SignUpAsync();
        await app.GrantAsync(await WebApp.UserIdAsync(owner), 1m);
        var jobId = await WebApp.SubmitAsync(owner, TinyEdit);
        var (stranger, _) = await app.SignUpAsync();

        var response = await stranger.GotoAsync($"/jobs/{jobId}");

        Assert.Equal(404, response!.Status);
        await Expect(stranger.GetByRole(AriaRole.Heading, new() { Name = "Nothing here" })).ToBeVisibleAsync();
        await WebApp.ScreenshotAsync(stranger, "job-not-found");
    }

    [Fact]
    public async Task NonAdmin_GetsA403PageForAdminPages()
    {
        var (page, _) = await app.SignUpAsync();

        var response = await page.GotoAsync("/admin");

        Assert.Equal(403, response!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Admins only" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Admin", Exact = true })).ToHaveCountAsync(0);
        await WebApp.ScreenshotAsync(page, "admin-forbidden");
    }

    [Fact]
    public async Task RepeatedWrongPasswords_LockTheAccount_WithAMessage()
    {
        var (signedUp, email) = await app.SignUpAsync();
        await signedUp.Context.CloseAsync();
        var page = await app.NewPageAsync();
        await page.GotoAsync("/signin");

        for (var attempt = 0; attempt < 5; attempt++)
        {
            await page.GetByLabel("Email").FillAsync(email);
            await page.GetByLabel("Password").FillAsync("wrong password!");
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("do not match");
        }
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync("correct horse battery");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("locked");
        await WebApp.ScreenshotAsync(page, "signin-locked");
    }

    [Fact]
    public async Task Dashboard_FitsAPhoneScreen()
    {
        var (wide, _) = await app.SignUpAsync();
        var cookies = await wide.Context.CookiesAsync();
        var phone = await app.NewPageAsync(width: 390, height: 844);
        await phone.Context.AddCookiesAsync(cookies.Select(c => new Cookie { Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path }));

        await phone.GotoAsync("/");

        var overflow = await phone.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth");
        Assert.False(overflow, "the dashboard scrolls sideways on a phone");
        await Expect(phone.GetByRole(AriaRole.Link, new() { Name = "New video" })).ToBeVisibleAsync();
        await WebApp.ScreenshotAsync(phone, "dashboard-phone");
    }

    private static async Task<string?> WaitForStatusAsync(IPage page, string status, TimeSpan timeout)
    {
        try
        {
            await Expect(page.GetByTestId("job-status")).ToHaveAttributeAsync("data-status", status, new() { Timeout = (float)timeout.TotalMilliseconds });
        }
        catch (PlaywrightException)
        {
        }
        return await page.GetByTestId("job-status").GetAttributeAsync("data-status");
    }

    private static async Task<string> ApiJobAsync(IPage page)
    {
        var id = page.Url[(page.Url.LastIndexOf('/') + 1)..];
        var response = await page.Context.APIRequest.GetAsync($"/api/v1/job/{id}");
        return await response.TextAsync();
    }

    [GeneratedRegex(@"/jobs/[0-9a-f-]{36}$")]
    private static partial Regex JobUrl();
}
