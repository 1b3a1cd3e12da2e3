using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Reelgate.Storage;
using Reelgate.Tests.Fetch;
using Reelgate.Tests.Providers;
using Reelgate.Tests.Support;
using static Reelgate.Tests.Projects.ProjectApi;

namespace Reelgate.Tests.Projects;

/// <summary>
/// A project from photos to one video, with clips generated on Runway (a fake speaking its API, which fails one photo once)
/// and the final video assembled by the local renderer.
/// </summary>
public sealed class ProjectFlowTests(TestDatabase db) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private const double ClipSeconds = 3;
    private const string FailureReason = "Runway could not animate this photo";
    private FakeRunway _runway = null!;
    private TestHttpServer _files = null!;
    private ReelgateFactory _app = null!;
    private int _greenFailures;

    public async Task InitializeAsync()
    {
        _runway = await FakeRunway.StartAsync();
        _runway.StepDelay = TimeSpan.FromMilliseconds(100);
        var videos = new Dictionary<string, string>();
        foreach (var color in new[] { "red", "green", "blue" }) videos[color] = await ProjectMedia.ColorVideoAsync(color, ClipSeconds);
        _runway.VideoFor = body => videos.First(v => body.Contains(v.Key, StringComparison.Ordinal)).Value;
        _runway.FailFor = body => body.Contains("green", StringComparison.Ordinal) && Interlocked.Increment(ref _greenFailures) == 1 ? FailureReason : null;
        var tone = await ProjectMedia.ToneAsync(20, "mp3");
        _files = await TestHttpServer.StartAsync(app =>
        {
            app.MapGet("/tone.mp3", () => Results.File(tone, "audio/mpeg"));
            app.MapGet("/page.html", () => Results.Content("<html><body>not music</body></html>", "text/html"));
        });
        _app = ProviderApp.Create(db.ConnectionString, [_runway], new()
        {
            ["Generation:Provider"] = "runway",
            ["Projects:SyncInterval"] = "00:00:00.200",
            ["Storage:SweepInterval"] = "00:00:00.200",
        });
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _files.DisposeAsync();
        await _runway.DisposeAsync();
    }

    [Fact]
    public async Task Flow_ThreePhotos_OneFailingAndRegenerated_Approved_Reordered_WithMusic_AssemblesTheClipsInOrder()
    {
        var user = await ProviderApp.FundedUserAsync(_app, 10);
        var client = user.Session;
        var project = await CreateProjectAsync(client, new { title = "Harbour day", musicUrl = _files.Url("/tone.mp3").ToString() });
        var projectId = project.GetProperty("id").GetGuid();
        Assert.Equal("in_progress", project.GetProperty("status").GetString());
        Assert.Equal(_files.Url("/tone.mp3").ToString(), project.GetProperty("music").GetProperty("source").GetString());

        var ids = new Dictionary<string, Guid>();
        foreach (var color in new[] { "red", "green", "blue" })
        {
            var clip = await AddClipAsync(client, projectId, await UploadAsync(client, await ProjectMedia.ColorImageAsync(color)), prompt: $"{color} harbour");
            Assert.Equal("generating", clip.GetProperty("status").GetString());
            Assert.Equal(1.00m, clip.GetProperty("price").GetDecimal());
            ids[color] = clip.GetProperty("id").GetGuid();
        }

        project = await WaitForAsync(client, projectId, NoneGenerating);
        var failed = Clip(project, ids["green"]);
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Contains(FailureReason, failed.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal("done", Clip(project, ids["red"]).GetProperty("status").GetString());
        await Api.AssertProblemAsync(await client.PutAsJsonAsync($"/api/v1/clips/{ids["green"]}/approve", new { approved = true }), HttpStatusCode.Conflict, "clip-not-done");
        var unapproved = await Api.AssertProblemAsync(await client.PostAsJsonAsync($"/api/v1/projects/{projectId}/assemble", new { }),
            HttpStatusCode.UnprocessableEntity, "clips-not-ready");
        Assert.True(unapproved.GetProperty("errors").TryGetProperty("clips", out _));

        var regenerated = await client.PostAsync($"/api/v1/clips/{ids["green"]}/regenerate", null);
        Assert.Equal(HttpStatusCode.Accepted, regenerated.StatusCode);
        Assert.Equal("generating", (await regenerated.JsonAsync()).GetProperty("status").GetString());
        project = await WaitForAsync(client, projectId, NoneGenerating);
        Assert.Equal("done", Clip(project, ids["green"]).GetProperty("status").GetString());

        foreach (var id in ids.Values)
        {
            var approved = await client.PutAsJsonAsync($"/api/v1/clips/{id}/approve", new { approved = true });
            Assert.True((await approved.JsonAsync()).GetProperty("approved").GetBoolean());
        }
        var order = new[] { ids["blue"], ids["red"], ids["green"] };
        var reordered = await client.PutAsJsonAsync($"/api/v1/projects/{projectId}", new { clipOrder = order });
        Assert.Equal(order, (await reordered.JsonAsync()).GetProperty("clipOrder").EnumerateArray().Select(e => e.GetGuid()));
        var music = await UploadAsync(client, await ProjectMedia.ToneAsync(12, "m4a"));
        var withMusic = await (await client.PutAsJsonAsync($"/api/v1/projects/{projectId}", new { musicUploadId = music })).JsonAsync();
        Assert.Equal("audio/mp4", withMusic.GetProperty("music").GetProperty("contentType").GetString());
        var quoted = withMusic.GetProperty("assemblyPrice").GetDecimal();

        var assembly = await ProviderApp.SubmitAsync(client, $"/api/v1/projects/{projectId}/assemble", new { transition = "fade", resolution = "preview", musicVolume = 0.8 });
        Assert.Equal("assembling", (await GetProjectAsync(client, projectId)).GetProperty("status").GetString());
        var job = await ProviderApp.FinalAsync(client, assembly, 120);
        Assert.Equal("done", job.GetProperty("status").GetString());
        Assert.Equal("assembly", job.GetProperty("kind").GetString());
        project = await WaitForAsync(client, projectId, p => p.GetProperty("status").GetString() == "assembled");
        var final = project.GetProperty("finalVideo");
        Assert.Equal(assembly, final.GetProperty("jobId").GetGuid());

        var video = await DownloadAsync(client, final.GetProperty("video").GetProperty("url").GetString()!);
        Assert.InRange(await ProjectMedia.DurationAsync(video), 3 * ClipSeconds - 0.2, 3 * ClipSeconds + 0.2);
        Assert.InRange(await ProjectMedia.DurationAsync(video, "a:0"), 3 * ClipSeconds - 0.3, 3 * ClipSeconds + 0.3);
        var colors = new List<string>();
        foreach (var middle in new[] { 1.5, 4.5, 7.5 }) colors.Add(ProjectMedia.Dominant(await ProjectMedia.ColorAtAsync(video, middle)));
        Assert.Equal(["blue", "red", "green"], colors);
        Assert.True(await ProjectMedia.MeanVolumeAsync(video, 8.6, 0.35) < await ProjectMedia.MeanVolumeAsync(video, 4, 1) - 6, "the music does not fade out at the end");

        await AssertChargedOnceAsync(client, charged: 3m + job.GetProperty("credits").GetProperty("charged").GetDecimal(), failedJobs: 1);
        Assert.Equal(quoted, job.GetProperty("credits").GetProperty("held").GetDecimal());
        var verify = await (await (await Api.AdminSessionAsync(_app)).GetAsync("/api/v1/admin/ledger/verify")).JsonAsync();
        Assert.True(verify.GetProperty("ok").GetBoolean(), verify.ToString());

        // A change makes the project in progress again, and assembling again makes a second final video.
        var changed = await (await client.PutAsJsonAsync($"/api/v1/projects/{projectId}", new { clipOrder = order.Reverse() })).JsonAsync();
        Assert.Equal("in_progress", changed.GetProperty("status").GetString());
        var second = await ProviderApp.SubmitAsync(client, $"/api/v1/projects/{projectId}/assemble", new { transition = "none", resolution = "preview" });
        await ProviderApp.FinalAsync(client, second, 120);
        project = await WaitForAsync(client, projectId, p => p.GetProperty("status").GetString() == "assembled");
        Assert.Equal(second, project.GetProperty("finalVideo").GetProperty("jobId").GetGuid());
        Assert.Equal([second, assembly], project.GetProperty("assemblies").EnumerateArray().Select(a => a.GetProperty("jobId").GetGuid()));
        var again = await DownloadAsync(client, project.GetProperty("finalVideo").GetProperty("video").GetProperty("url").GetString()!);
        Assert.Equal("green", ProjectMedia.Dominant(await ProjectMedia.ColorAtAsync(again, 1.5)));
    }

    [Fact]
    public async Task Regenerate_KeepsTheCurrentVideoUntilTheNewOneIsDone_ThenReplacesItAndClearsTheApproval()
    {
        var user = await ProviderApp.FundedUserAsync(_app, 5);
        var projectId = (await CreateProjectAsync(user.Session, new { title = "Again" })).GetProperty("id").GetGuid();
        var clipId = (await AddClipAsync(user.Session, projectId, await UploadAsync(user.Session, await ProjectMedia.ColorImageAsync("red")), "red"))
            .GetProperty("id").GetGuid();
        await WaitForAsync(user.Session, projectId, NoneGenerating);
        await user.Session.PutAsJsonAsync($"/api/v1/clips/{clipId}/approve", new { approved = true });
        var before = await (await user.Session.GetAsync($"/api/v1/clips/{clipId}")).JsonAsync();
        _runway.StepDelay = TimeSpan.FromMilliseconds(600);

        var during = await (await user.Session.PostAsync($"/api/v1/clips/{clipId}/regenerate", null)).JsonAsync();

        Assert.Equal("generating", during.GetProperty("status").GetString());
        Assert.True(during.GetProperty("regenerating").GetBoolean());
        Assert.True(during.GetProperty("approved").GetBoolean());
        // The same stored video: the link's signature and expiry are minted per read, its path is not.
        Assert.Equal(VideoPath(before), VideoPath(during));
        await Api.AssertProblemAsync(await user.Session.PostAsync($"/api/v1/clips/{clipId}/regenerate", null), HttpStatusCode.Conflict, "clip-generating");
        var after = Clip(await WaitForAsync(user.Session, projectId, NoneGenerating), clipId);
        Assert.Equal("done", after.GetProperty("status").GetString());
        Assert.False(after.GetProperty("approved").GetBoolean());
        Assert.NotEqual(before.GetProperty("jobId").GetGuid(), after.GetProperty("jobId").GetGuid());
        _runway.StepDelay = TimeSpan.FromMilliseconds(100);
    }

    [Fact]
    public async Task DeleteProject_RemovesItsPhotosClipsMusicAndFinalVideo_AndTheOutputsOfItsJobs()
    {
        var user = await ProviderApp.FundedUserAsync(_app, 5);
        var project = await CreateProjectAsync(user.Session, new { title = "Gone", musicUrl = _files.Url("/tone.mp3").ToString() });
        var projectId = project.GetProperty("id").GetGuid();
        var clip = await AddClipAsync(user.Session, projectId, await UploadAsync(user.Session, await ProjectMedia.ColorImageAsync("blue")), "blue");
        var clipId = clip.GetProperty("id").GetGuid();
        await WaitForAsync(user.Session, projectId, NoneGenerating);
        await user.Session.PutAsJsonAsync($"/api/v1/clips/{clipId}/approve", new { approved = true });
        var assembly = await ProviderApp.SubmitAsync(user.Session, $"/api/v1/projects/{projectId}/assemble", new { resolution = "preview" });
        await ProviderApp.FinalAsync(user.Session, assembly, 120);
        await WaitForAsync(user.Session, projectId, p => p.GetProperty("status").GetString() == "assembled");
        var store = _app.Services.GetRequiredService<IObjectStore>();
        var keys = new[]
        {
            $"images/{user.Id}/{projectId}/{clipId}.png", $"clips/{user.Id}/{projectId}/{clipId}.mp4",
            $"clips/{user.Id}/{projectId}/final-{assembly}.mp4", $"music/{user.Id}/{projectId}.mp3",
        };
        foreach (var key in keys) Assert.True(await store.ExistsAsync(key), $"{key} was not stored");
        var generation = clip.GetProperty("jobId").GetGuid();

        var deleted = await user.Session.DeleteAsync($"/api/v1/projects/{projectId}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        foreach (var key in keys) Assert.False(await store.ExistsAsync(key), $"{key} is still stored");
        Assert.Equal(HttpStatusCode.NotFound, (await user.Session.GetAsync($"/api/v1/projects/{projectId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await user.Session.GetAsync($"/api/v1/clips/{clipId}")).StatusCode);
        foreach (var jobId in new[] { generation, assembly })
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            JsonElement job;
            while ((job = await (await user.Session.GetAsync($"/api/v1/job/{jobId}")).JsonAsync()).GetProperty("outputs").GetArrayLength() > 0)
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"job {jobId} still has its outputs: {job}");
                await Task.Delay(100);
            }
        }
    }

    [Fact]
    public async Task Music_FromALinkThatIsNotAudio_Answers400NamingMusicUrl_AndLeavesNoProject()
    {
        var user = await ProviderApp.FundedUserAsync(_app, 1);

        var response = await user.Session.PostAsJsonAsync("/api/v1/projects", new { title = "Quiet", musicUrl = _files.Url("/page.html").ToString() });

        var problem = await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation");
        Assert.True(problem.GetProperty("errors").TryGetProperty("musicUrl", out _));
        var list = await (await user.Session.GetAsync("/api/v1/projects")).JsonAsync();
        Assert.Equal(0, list.GetProperty("data").GetArrayLength());
    }

    /// <summary>Every job was held once and settled once; failed jobs released everything and captured nothing.</summary>
    private static async Task AssertChargedOnceAsync(HttpClient client, decimal charged, int failedJobs)
    {
        var ledger = await (await client.GetAsync("/api/v1/credits/ledger?limit=100")).JsonAsync();
        var byJob = ledger.GetProperty("data").EnumerateArray().Where(e => e.GetProperty("jobId").ValueKind == JsonValueKind.String)
            .GroupBy(e => e.GetProperty("jobId").GetGuid()).ToList();
        foreach (var job in byJob)
        {
            var kinds = job.Select(e => e.GetProperty("kind").GetString()).ToList();
            Assert.Equal(1, kinds.Count(k => k == "hold"));
            Assert.True(kinds.Count(k => k == "capture") <= 1 && kinds.Count(k => k == "release") <= 1, string.Join(",", kinds));
        }
        Assert.Equal(failedJobs, byJob.Count(j => j.All(e => e.GetProperty("kind").GetString() != "capture")));
        var captured = byJob.SelectMany(j => j).Where(e => e.GetProperty("kind").GetString() == "capture").Sum(e => -e.GetProperty("heldAmount").GetDecimal());
        Assert.Equal(charged, captured);
    }
}
