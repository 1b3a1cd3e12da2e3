using System.Diagnostics;
using Reelgate.BrowserTests.Support;
using static Microsoft.Playwright.Assertions;

namespace Reelgate.BrowserTests;

public sealed partial class WebAppTests
{
    [Fact]
    public async Task GenerationFromAnUploadedImage_IsPreviewedPricedAndFollowedToAVideo()
    {
        var (page, _) = await app.SignUpAsync();
        await app.GrantAsync(await WebApp.UserIdAsync(page), 2m);
        var image = await ImageOverOneMegabyteAsync();
        await page.GotoAsync("/create/render");
        await page.GetByRole(AriaRole.Link, new() { Name = "Generate from an image or text" }).ClickAsync();

        await page.GetByLabel("Prompt").FillAsync("slow push in");
        await Expect(page.Locator("#prompt-count")).ToHaveTextAsync("12 / 2000");
        // Chromium reads the file again when the form is sent, so it stays until the end of the test.
        await page.Locator("#image").SetInputFilesAsync(image);
        await Expect(page.Locator("#image-preview")).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("() => document.getElementById('image-preview').naturalWidth > 0");
        await page.GetByLabel("Clip length").SelectOptionAsync("10");
        await Expect(page.GetByTestId("quote")).ToContainTextAsync("2.00 credits");
        await page.GetByLabel("Clip length").SelectOptionAsync("5");
        await Expect(page.GetByTestId("quote")).ToContainTextAsync("1.00 credits");
        await WebApp.ScreenshotAsync(page, "create-generate");

        await page.GetByRole(AriaRole.Button, new() { Name = "Generate" }).ClickAsync();
        await page.WaitForURLAsync(JobUrl());
        var shown = await WaitForStatusAsync(page, "done", TimeSpan.FromSeconds(90));

        Assert.True(shown == "done", $"the page shows '{shown}' while the API says: {await ApiJobAsync(page)}");
        Assert.Contains("Fetching the image", await ApiJobAsync(page));
        await Expect(page.Locator("video")).ToHaveCountAsync(1);
        Assert.False(string.IsNullOrEmpty(await page.Locator("video").GetAttributeAsync("src")), "the video element has no source");
        await WebApp.ScreenshotAsync(page, "job-generated");
        File.Delete(image);
    }

    /// <summary>A small PNG padded past 1 MB after its end, so the form exceeds the server's default body limit.</summary>
    private static async Task<string> ImageOverOneMegabyteAsync()
    {
        var path = Path.Combine(Path.GetTempPath(), $"reelgate-upload-{Guid.NewGuid():N}.png");
        using (var ffmpeg = Process.Start("ffmpeg", $"-v error -y -f lavfi -i testsrc=s=160x90 -frames:v 1 {path}"))
        {
            await ffmpeg.WaitForExitAsync();
            Assert.Equal(0, ffmpeg.ExitCode);
        }
        await using (var file = new FileStream(path, FileMode.Append))
        {
            file.SetLength(file.Length + 1_200_000);
        }
        return path;
    }
}
