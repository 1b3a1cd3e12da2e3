using System.Diagnostics;
using System.Text.RegularExpressions;
using Reelgate.BrowserTests.Support;
using static Microsoft.Playwright.Assertions;

namespace Reelgate.BrowserTests;

public sealed partial class WebAppTests
{
    [Fact]
    public async Task ProjectPage_DroppedPhotos_Approved_ReorderedByKeyboard_WithMusic_AssembleIntoAPlayingVideo()
    {
        var (page, _) = await app.SignUpAsync();
        await app.GrantAsync(await WebApp.UserIdAsync(page), 10m);
        await page.GetByRole(AriaRole.Link, new() { Name = "Projects" }).ClickAsync();
        await Expect(page.GetByText("No projects yet")).ToBeVisibleAsync();
        await page.GetByLabel("New project").FillAsync("Harbour day");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create project" }).ClickAsync();
        await page.WaitForURLAsync(ProjectUrl());
        await Expect(page.GetByText("No clips yet")).ToBeVisibleAsync();

        await DropPhotosAsync(page, [await MediaAsync("red.png", "-f lavfi -i color=c=red:s=160x90 -frames:v 1"),
            await MediaAsync("blue.png", "-f lavfi -i color=c=blue:s=160x90 -frames:v 1"),
            await MediaAsync("green.png", "-f lavfi -i color=c=green:s=160x90 -frames:v 1")]);
        var clips = page.GetByTestId("clip");
        await Expect(clips).ToHaveCountAsync(3, new() { Timeout = 30_000 });
        await Expect(clips.First).ToContainTextAsync("1.00 credits");
        await Expect(page.Locator("[data-testid=clip][data-status=done]")).ToHaveCountAsync(3, new() { Timeout = 120_000 });
        await WebApp.ScreenshotAsync(page, "project-clips");

        await Expect(page.GetByTestId("clip-player")).ToHaveAttributeAsync("src", new Regex("/files/clips/"));
        Assert.False(string.IsNullOrEmpty(await page.Locator("[data-role=preload]").GetAttributeAsync("src")), "the next clip is not preloaded");
        for (var i = 1; i <= 3; i++)
        {
            await page.GetByRole(AriaRole.Button, new() { Name = $"Approve clip {i}", Exact = true }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = $"Unapprove clip {i}", Exact = true })).ToBeVisibleAsync();
        }
        var before = await ClipIdsAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Move down clip 1", Exact = true }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(clips.First).ToHaveAttributeAsync("data-clip-id", before[1]!);
        Assert.Equal([before[1], before[0], before[2]], await ClipIdsAsync(page));

        await page.GetByLabel("Upload MP3, M4A or WAV").SetInputFilesAsync(await MediaAsync("tune.mp3", "-f lavfi -i sine=f=440:d=30 -c:a libmp3lame"));
        await Expect(page.GetByTestId("music-preview")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("music-preview")).ToHaveAttributeAsync("src", new Regex("/files/music/"));
        var assemble = page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Assemble") });
        await Expect(assemble).ToHaveTextAsync("Assemble · 0.25 credits");
        await WebApp.ScreenshotAsync(page, "project-ready");

        await assemble.ClickAsync();
        await Expect(page.GetByTestId("final-video")).ToBeVisibleAsync(new() { Timeout = 120_000 });
        var played = await page.EvaluateAsync<double>("""
            async () => {
              const video = document.querySelector('[data-testid=final-video]');
              video.muted = true;
              await video.play();
              await new Promise(resolve => setTimeout(resolve, 800));
              return video.currentTime;
            }
            """);
        Assert.True(played > 0, "the final video does not play");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Download" })).ToHaveAttributeAsync("href", new Regex("download=1"));
        await Expect(page.GetByTestId("project-status")).ToContainTextAsync("assembled");
        await WebApp.ScreenshotAsync(page, "project-assembled");

        var project = WebApp.Json(await (await page.Context.APIRequest.GetAsync($"/api/v1/projects/{ProjectId(page)}")).TextAsync());
        var assembled = project.GetProperty("finalVideo").GetProperty("clipIds").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Equal([before[1], before[0], before[2]], assembled);

        await page.GetByRole(AriaRole.Link, new() { Name = "All projects" }).ClickAsync();
        var row = page.GetByTestId("projects").GetByRole(AriaRole.Link, new() { NameRegex = new Regex("Harbour day") });
        await Expect(row).ToContainTextAsync("3 clips");
        await Expect(row).ToContainTextAsync("assembled");
        await Expect(row.Locator("img.thumb")).ToHaveAttributeAsync("src", new Regex("/files/images/"));
        await WebApp.ScreenshotAsync(page, "projects");
    }

    private static string ProjectId(IPage page) => page.Url.Split('/')[^1];

    private static async Task<List<string?>> ClipIdsAsync(IPage page) =>
        [.. await page.GetByTestId("clip").EvaluateAllAsync<string?[]>("items => items.map(i => i.dataset.clipId)")];

    /// <summary>Drops the files on the drop zone the way a file manager does: one drop event carrying them all.</summary>
    private static async Task DropPhotosAsync(IPage page, IReadOnlyList<string> paths)
    {
        var files = paths.Select(p => new { name = Path.GetFileName(p), data = Convert.ToBase64String(File.ReadAllBytes(p)) }).ToArray();
        var transfer = await page.EvaluateHandleAsync("""
            files => {
              const transfer = new DataTransfer();
              for (const f of files) {
                const bytes = Uint8Array.from(atob(f.data), c => c.charCodeAt(0));
                transfer.items.add(new File([bytes], f.name, { type: 'image/png' }));
              }
              return transfer;
            }
            """, files);
        await page.Locator("[data-role=dropzone]").DispatchEventAsync("drop", new Dictionary<string, object> { ["dataTransfer"] = transfer });
    }

    private static async Task<string> MediaAsync(string name, string arguments)
    {
        var path = Path.Combine(Path.GetTempPath(), $"reelgate-browser-{Guid.NewGuid():N}-{name}");
        using var ffmpeg = Process.Start("ffmpeg", $"-v error -y {arguments} {path}");
        await ffmpeg.WaitForExitAsync();
        Assert.Equal(0, ffmpeg.ExitCode);
        return path;
    }

    [GeneratedRegex(@"/projects/[0-9a-f-]{36}$")]
    private static partial Regex ProjectUrl();
}
