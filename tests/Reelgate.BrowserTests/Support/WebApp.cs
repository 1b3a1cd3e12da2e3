using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Reelgate.BrowserTests.Support;

/// <summary>One running Reelgate and one headless Chromium for a test class.</summary>
public class WebApp : IAsyncLifetime
{
    private static readonly string[] ChromiumFlags =
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private IPlaywright? _playwright;

    public ReelgateServer Server { get; } = new();
    public IBrowser Browser { get; private set; } = default!;
    public HttpClient Admin { get; private set; } = default!;

    public static string ScreenshotDir { get; } = Path.Combine(ReelgateServer.RepositoryRoot(), "artifacts", "screenshots");

    public virtual async Task InitializeAsync()
    {
        await Server.StartAsync();
        Admin = Client(Server.AdminKey);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ChromiumFlags,
        });
        Directory.CreateDirectory(ScreenshotDir);
    }

    public virtual async Task DisposeAsync()
    {
        Admin.Dispose();
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        await Server.DisposeAsync();
    }

    public HttpClient Client(string? apiKey = null)
    {
        var client = new HttpClient { BaseAddress = new Uri(Server.BaseUrl) };
        if (apiKey is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    public async Task<IPage> NewPageAsync(int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Server.BaseUrl,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Permissions = ["clipboard-read", "clipboard-write"],
        });
        return await context.NewPageAsync();
    }

    /// <summary>Signs up a new user through the form and returns on the dashboard.</summary>
    public async Task<(IPage Page, string Email)> SignUpAsync(string? screenshot = null)
    {
        var page = await NewPageAsync();
        var email = $"user-{Guid.NewGuid():N}@example.com";
        await page.GotoAsync("/signup");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync("correct horse battery");
        if (screenshot is not null) await ScreenshotAsync(page, screenshot);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign up" }).ClickAsync();
        await page.WaitForURLAsync(Server.BaseUrl + "/");
        return (page, email);
    }

    public async Task<IPage> SignInAsAdminAsync()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/signin");
        await page.GetByLabel("Email").FillAsync(ReelgateServer.AdminEmail);
        await page.GetByLabel("Password").FillAsync(ReelgateServer.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(Server.BaseUrl + "/");
        return page;
    }

    /// <summary>The signed-in user's id, read through the page's own session.</summary>
    public static async Task<Guid> UserIdAsync(IPage page)
    {
        var me = await page.Context.APIRequest.GetAsync("/api/v1/me");
        var body = await me.JsonAsync();
        return body!.Value.GetProperty("id").GetGuid();
    }

    public async Task GrantAsync(Guid userId, decimal credits)
    {
        var response = await Admin.PostAsJsonAsync($"/api/v1/admin/users/{userId}/credits", new { amount = credits, reason = "browser test" });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Submits an Edit through the page's session, as the web app's own scripts could.</summary>
    public static async Task<Guid> SubmitAsync(IPage page, string edit)
    {
        var response = await page.Context.APIRequest.PostAsync("/api/v1/render", new APIRequestContextOptions
        {
            Headers = new Dictionary<string, string> { ["content-type"] = "application/json" },
            Data = edit,
        });
        Assert.Equal(202, response.Status);
        return (await response.JsonAsync())!.Value.GetProperty("id").GetGuid();
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDir, name + ".png"), FullPage = true });

    public static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;
}
