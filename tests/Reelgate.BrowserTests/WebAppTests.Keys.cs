using Reelgate.BrowserTests.Support;
using static Microsoft.Playwright.Assertions;

namespace Reelgate.BrowserTests;

public sealed partial class WebAppTests
{
    [Fact]
    public async Task KeysPage_CreatesAScopedKey_AndRotatesIt_TheOldOneWorkingThroughItsGrace()
    {
        var (page, _) = await app.SignUpAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "API keys" }).ClickAsync();
        await page.GetByLabel("Name").FillAsync("reader");
        foreach (var scope in new[] { "render", "generate", "projects", "billing", "webhooks" })
        {
            await page.GetByLabel(scope, new() { Exact = true }).UncheckAsync();
        }
        await page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();
        var first = await page.GetByTestId("new-key").TextContentAsync();
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "jobs:read", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("render", new() { Exact = true })).ToBeCheckedAsync();

        using var reader = app.Client(first);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await reader.GetAsync("/api/v1/jobs")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await reader.PostAsync("/api/v1/render", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"))).StatusCode);

        await page.GetByRole(AriaRole.Button, new() { Name = "Rotate key" }).ClickAsync();
        await Expect(page.GetByText("The old key stops working")).ToBeVisibleAsync();
        var second = await page.GetByTestId("new-key").TextContentAsync();
        Assert.NotEqual(first, second);
        await Expect(page.GetByText("rotated; works until")).ToBeVisibleAsync();
        await WebApp.ScreenshotAsync(page, "keys-rotated");

        Assert.Equal(System.Net.HttpStatusCode.OK, (await reader.GetAsync("/api/v1/jobs")).StatusCode);
        using var rotated = app.Client(second);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await rotated.GetAsync("/api/v1/jobs")).StatusCode);
    }
}
