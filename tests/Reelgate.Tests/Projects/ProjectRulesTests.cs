using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Reelgate.Storage;
using Reelgate.Tests.Providers;
using Reelgate.Tests.Support;
using static Reelgate.Tests.Projects.ProjectApi;

namespace Reelgate.Tests.Projects;

/// <summary>Ownership, validation and the states clips pass through, on an API node without workers, so every clip stays generating.</summary>
public sealed class ProjectRulesTests(TestDatabase db) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private const long MaxAudioBytes = 256 * 1024;
    private ReelgateFactory _app = null!;

    public Task InitializeAsync()
    {
        _app = ProviderApp.Create(db.ConnectionString, [], new()
        {
            ["roles"] = "api",
            ["Generation:MaxAudioBytes"] = MaxAudioBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<(Registered User, Guid ProjectId, Guid ClipId)> ProjectWithClipAsync()
    {
        var user = await ProviderApp.FundedUserAsync(_app, 5);
        var projectId = (await CreateProjectAsync(user.Session, new { title = "Mine" })).GetProperty("id").GetGuid();
        var clip = await AddClipAsync(user.Session, projectId, await UploadAsync(user.Session, await ProjectMedia.ColorImageAsync("red")));
        return (user, projectId, clip.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task EveryRoute_ForAnotherUsersProjectOrClip_Answers404_AndChangesNothing()
    {
        var (owner, projectId, clipId) = await ProjectWithClipAsync();
        var stranger = await ProviderApp.FundedUserAsync(_app, 5);
        var strangersProject = (await CreateProjectAsync(stranger.Session, new { title = "Theirs" })).GetProperty("id").GetGuid();
        var upload = await UploadAsync(stranger.Session, await ProjectMedia.ColorImageAsync("blue"));
        var client = stranger.Session;

        var answers = new[]
        {
            await client.GetAsync($"/api/v1/projects/{projectId}"),
            await client.PutAsJsonAsync($"/api/v1/projects/{projectId}", new { title = "Taken" }),
            await client.PostAsJsonAsync($"/api/v1/projects/{projectId}/assemble", new { }),
            await client.DeleteAsync($"/api/v1/projects/{projectId}"),
            await client.PostAsJsonAsync("/api/v1/clips", new { projectId, uploadId = upload }),
            await client.GetAsync($"/api/v1/clips/{clipId}"),
            await client.PutAsJsonAsync($"/api/v1/clips/{clipId}/approve", new { approved = true }),
            await client.PostAsync($"/api/v1/clips/{clipId}/regenerate", null),
            await client.DeleteAsync($"/api/v1/clips/{clipId}"),
            await client.PutAsJsonAsync($"/api/v1/projects/{strangersProject}", new { clipOrder = new[] { clipId } }),
        };

        foreach (var answer in answers) await Api.AssertProblemAsync(answer, HttpStatusCode.NotFound, "not-found");
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/projects/{projectId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.Session.GetAsync($"/projects/{projectId}")).StatusCode);
        var list = await (await client.GetAsync("/api/v1/projects")).JsonAsync();
        Assert.Equal([strangersProject], list.GetProperty("data").EnumerateArray().Select(p => p.GetProperty("id").GetGuid()));
        var mine = await GetProjectAsync(owner.Session, projectId);
        Assert.Equal("Mine", mine.GetProperty("title").GetString());
        Assert.Equal([clipId], mine.GetProperty("clipOrder").EnumerateArray().Select(e => e.GetGuid()));
        Assert.Equal(5m, (await ProviderApp.CreditsAsync(client)).GetProperty("available").GetDecimal());
    }

    [Fact]
    public async Task ClipOrder_ThatRepeatsOmitsOrBorrowsAClip_Answers422NamingWhatIsWrong()
    {
        var (user, projectId, first) = await ProjectWithClipAsync();
        var second = (await AddClipAsync(user.Session, projectId, await UploadAsync(user.Session, await ProjectMedia.ColorImageAsync("blue")))).GetProperty("id").GetGuid();
        var otherProject = (await CreateProjectAsync(user.Session, new { title = "Other" })).GetProperty("id").GetGuid();
        var borrowed = (await AddClipAsync(user.Session, otherProject, await UploadAsync(user.Session, await ProjectMedia.ColorImageAsync("green")))).GetProperty("id").GetGuid();

        var repeated = await Api.AssertProblemAsync(await user.Session.PutAsJsonAsync($"/api/v1/projects/{projectId}", new { clipOrder = new[] { first, first } }),
            HttpStatusCode.UnprocessableEntity, "invalid-clip-order");
        var omitted = await Api.AssertProblemAsync(await user.Session.PutAsJsonAsync($"/api/v1/projects/{projectId}", new { clipOrder = new[] { second } }),
            HttpStatusCode.UnprocessableEntity, "invalid-clip-order");
        var foreign = await Api.AssertProblemAsync(
            await user.Session.PutAsJsonAsync($"/api/v1/projects/{projectId}", new { clipOrder = new[] { second, first, borrowed } }),
            HttpStatusCode.UnprocessableEntity, "invalid-clip-order");

        Assert.Contains(second.ToString(), repeated.GetProperty("errors").GetProperty("clipOrder")[0].GetString());
        Assert.Contains("second time", repeated.GetProperty("errors").GetProperty("clipOrder[1]")[0].GetString());
        Assert.Contains(first.ToString(), omitted.GetProperty("errors").GetProperty("clipOrder")[0].GetString());
        Assert.Contains("another project", foreign.GetProperty("errors").GetProperty("clipOrder[2]")[0].GetString());
        Assert.Equal([first, second], (await GetProjectAsync(user.Session, projectId)).GetProperty("clipOrder").EnumerateArray().Select(e => e.GetGuid()));
    }

    [Fact]
    public async Task Assemble_WhileAClipIsGenerating_Answers422NamingThatClip_AndHoldsNothing()
    {
        var (user, projectId, clipId) = await ProjectWithClipAsync();

        var problem = await Api.AssertProblemAsync(await user.Session.PostAsJsonAsync($"/api/v1/projects/{projectId}/assemble", new { transition = "wipe" }),
            HttpStatusCode.UnprocessableEntity, "clips-not-ready");

        Assert.Contains(clipId.ToString(), problem.GetProperty("errors").GetProperty("clips[0]")[0].GetString());
        Assert.Equal(1m, (await ProviderApp.CreditsAsync(user.Session)).GetProperty("held").GetDecimal());
    }

    [Fact]
    public async Task Clip_WithBadFields_Answers400NamingEach_AndHoldsNothing()
    {
        var user = await ProviderApp.FundedUserAsync(_app, 5);
        var projectId = (await CreateProjectAsync(user.Session, new { title = "Rules" })).GetProperty("id").GetGuid();
        var upload = await UploadAsync(user.Session, await ProjectMedia.ColorImageAsync("red"));
        var audio = await UploadAsync(user.Session, await ProjectMedia.ToneAsync(1, "wav"));

        var duration = await user.Session.PostAsJsonAsync("/api/v1/clips", new { projectId, uploadId = upload, durationSec = 7, order = 3 });
        var noImage = await user.Session.PostAsJsonAsync("/api/v1/clips", new { projectId });
        var audioAsImage = await user.Session.PostAsJsonAsync("/api/v1/clips", new { projectId, uploadId = audio });
        var noTitle = await user.Session.PostAsJsonAsync("/api/v1/projects", new { title = " " });

        var errors = (await Api.AssertProblemAsync(duration, HttpStatusCode.BadRequest, "validation")).GetProperty("errors");
        Assert.True(errors.TryGetProperty("durationSec", out _));
        Assert.True((await Api.AssertProblemAsync(noImage, HttpStatusCode.BadRequest, "validation")).GetProperty("errors").TryGetProperty("imageUrl", out _));
        Assert.Contains("audio", (await Api.AssertProblemAsync(audioAsImage, HttpStatusCode.BadRequest, "validation")).GetProperty("errors").GetProperty("uploadId")[0].GetString());
        Assert.True((await Api.AssertProblemAsync(noTitle, HttpStatusCode.BadRequest, "validation")).GetProperty("errors").TryGetProperty("title", out _));
        var order = await user.Session.PostAsJsonAsync("/api/v1/clips", new { projectId, uploadId = upload, order = 3 });
        Assert.True((await Api.AssertProblemAsync(order, HttpStatusCode.BadRequest, "validation")).GetProperty("errors").TryGetProperty("order", out _));
        Assert.Equal(0m, (await ProviderApp.CreditsAsync(user.Session)).GetProperty("held").GetDecimal());
        Assert.Equal(0, (await GetProjectAsync(user.Session, projectId)).GetProperty("clips").GetArrayLength());
    }

    [Fact]
    public async Task Clip_WithTooFewCredits_Answers402_AndLeavesNoClipOrPhoto()
    {
        var user = await ProviderApp.FundedUserAsync(_app, 0.5m);
        var projectId = (await CreateProjectAsync(user.Session, new { title = "Broke" })).GetProperty("id").GetGuid();

        var response = await user.Session.PostAsJsonAsync("/api/v1/clips",
            new { projectId, uploadId = await UploadAsync(user.Session, await ProjectMedia.ColorImageAsync("red")) });

        await Api.AssertProblemAsync(response, HttpStatusCode.PaymentRequired, "insufficient-credits");
        Assert.Equal(0, (await GetProjectAsync(user.Session, projectId)).GetProperty("clips").GetArrayLength());
        var images = Path.Combine(_app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<StorageOptions>>().Value.LocalPath, "images", user.Id.ToString(), projectId.ToString());
        Assert.False(Directory.Exists(images) && Directory.EnumerateFiles(images).Any(), "the photo of a refused clip was kept");
    }

    [Fact]
    public async Task Clips_AreInsertedAtTheirOrder_AndStoredPrivatelyUnderTheProjectsImageKey()
    {
        var (user, projectId, first) = await ProjectWithClipAsync();
        var second = (await AddClipAsync(user.Session, projectId, await UploadAsync(user.Session, await ProjectMedia.ColorImageAsync("blue")), order: 0))
            .GetProperty("id").GetGuid();

        var project = await GetProjectAsync(user.Session, projectId);

        Assert.Equal([second, first], project.GetProperty("clipOrder").EnumerateArray().Select(e => e.GetGuid()));
        Assert.True(await _app.Services.GetRequiredService<IObjectStore>().ExistsAsync($"images/{user.Id}/{projectId}/{first}.png"));
        var link = new Uri(Clip(project, first).GetProperty("image").GetProperty("url").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await user.Session.GetAsync(link.PathAndQuery)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await user.Session.GetAsync(link.AbsolutePath)).StatusCode);
        var summary = (await (await user.Session.GetAsync("/api/v1/projects")).JsonAsync()).GetProperty("data")[0];
        Assert.Equal(2, summary.GetProperty("clipCount").GetInt32());
        Assert.Equal("in_progress", summary.GetProperty("status").GetString());
        Assert.Contains($"images/{user.Id}/{projectId}/{second}.png", summary.GetProperty("thumbnail").GetProperty("url").GetString());
    }

    [Fact]
    public async Task DeleteProject_WithAGeneratingClip_CancelsItsJobAndReleasesItsCredits()
    {
        var (user, projectId, clipId) = await ProjectWithClipAsync();
        var jobId = (await (await user.Session.GetAsync($"/api/v1/clips/{clipId}")).JsonAsync()).GetProperty("jobId").GetGuid();
        Assert.Equal(1m, (await ProviderApp.CreditsAsync(user.Session)).GetProperty("held").GetDecimal());

        Assert.Equal(HttpStatusCode.NoContent, (await user.Session.DeleteAsync($"/api/v1/projects/{projectId}")).StatusCode);

        var job = await (await user.Session.GetAsync($"/api/v1/job/{jobId}")).JsonAsync();
        Assert.Equal("canceled", job.GetProperty("status").GetString());
        var credits = await ProviderApp.CreditsAsync(user.Session);
        Assert.Equal(0m, credits.GetProperty("held").GetDecimal());
        Assert.Equal(5m, credits.GetProperty("available").GetDecimal());
    }

    [Theory]
    [InlineData("mp3", "audio/mpeg")]
    [InlineData("m4a", "audio/mp4")]
    [InlineData("wav", "audio/wav")]
    public async Task Upload_OfAudio_IsJudgedByContent_AndBecomesTheProjectsMusic(string extension, string contentType)
    {
        var user = await ProviderApp.FundedUserAsync(_app, 1);
        var response = await UploadBytesAsync(user.Session, await File.ReadAllBytesAsync(await ProjectMedia.ToneAsync(1, extension)), "music.bin");
        var upload = await response.JsonAsync();
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(contentType, upload.GetProperty("contentType").GetString());

        var project = await CreateProjectAsync(user.Session, new { title = "Tune", musicUploadId = upload.GetProperty("id").GetGuid() });

        Assert.Equal(contentType, project.GetProperty("music").GetProperty("contentType").GetString());
        var link = new Uri(project.GetProperty("music").GetProperty("link").GetProperty("url").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await user.Session.GetAsync(link.PathAndQuery)).StatusCode);
    }

    [Fact]
    public async Task Upload_OfAudioOverItsLimit_OrOfAVideoOrText_Answers4xxNamingTheFile()
    {
        var user = await ProviderApp.FundedUserAsync(_app, 1);
        var tone = await File.ReadAllBytesAsync(await ProjectMedia.ToneAsync(1, "mp3"));
        var oversized = new byte[MaxAudioBytes + 1];
        tone.CopyTo(oversized, 0);

        var tooLarge = await Api.AssertProblemAsync(await UploadBytesAsync(user.Session, oversized, "long.mp3"), HttpStatusCode.RequestEntityTooLarge, "file-too-large");
        var video = await Api.AssertProblemAsync(await UploadBytesAsync(user.Session, await File.ReadAllBytesAsync(await ProjectMedia.ColorVideoAsync("red", 1)), "clip.m4a"),
            HttpStatusCode.BadRequest, "validation");
        var text = await Api.AssertProblemAsync(await UploadBytesAsync(user.Session, "ID4 not really audio"u8.ToArray(), "song.mp3"), HttpStatusCode.BadRequest, "validation");

        Assert.Contains("MB", tooLarge.GetProperty("errors").GetProperty("file")[0].GetString());
        Assert.Contains("MP3, M4A or WAV", video.GetProperty("errors").GetProperty("file")[0].GetString());
        Assert.True(text.GetProperty("errors").TryGetProperty("file", out _));
    }

    [Fact]
    public async Task Music_FromAnImageUpload_Answers400NamingMusicUploadId()
    {
        var user = await ProviderApp.FundedUserAsync(_app, 1);
        var projectId = (await CreateProjectAsync(user.Session, new { title = "Picture" })).GetProperty("id").GetGuid();
        var image = await UploadAsync(user.Session, await ProjectMedia.ColorImageAsync("red"));

        var response = await user.Session.PutAsJsonAsync($"/api/v1/projects/{projectId}", new { musicUploadId = image });

        var problem = await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation");
        Assert.True(problem.GetProperty("errors").TryGetProperty("musicUploadId", out _));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await GetProjectAsync(user.Session, projectId)).GetProperty("music").ValueKind);
    }
}
