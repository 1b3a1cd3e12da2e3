using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Reelgate.Storage;
using Reelgate.Tests.Providers;
using Reelgate.Tests.Support;
using static Reelgate.Tests.Projects.ProjectApi;

namespace Reelgate.Tests.Projects;

/// <summary>With a storage retention of a few seconds, a project's clips outlast their jobs' outputs by default.</summary>
public sealed class ProjectRetentionTests(TestDatabase db) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private ReelgateFactory _app = null!;

    public Task InitializeAsync()
    {
        _app = ProjectRetention.App(db, keep: true);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Clip_OfAKeptProject_StaysAfterItsJobsOutputIsDeletedByRetention()
    {
        var (user, clip) = await ProjectRetention.FinishedClipAsync(_app);

        await ProjectRetention.UntilAsync(async () => (await (await user.Session.GetAsync($"/api/v1/job/{clip.GetProperty("jobId").GetGuid()}")).JsonAsync())
            .GetProperty("outputs").GetArrayLength() == 0);

        var now = await (await user.Session.GetAsync($"/api/v1/clips/{clip.GetProperty("id").GetGuid()}")).JsonAsync();
        Assert.Equal("done", now.GetProperty("status").GetString());
        var link = new Uri(now.GetProperty("video").GetProperty("url").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await user.Session.GetAsync(link.PathAndQuery)).StatusCode);
    }
}

/// <summary>Where projects do not keep their files, clip videos go when the storage retention ends, like job outputs.</summary>
public sealed class ProjectExpiryTests(TestDatabase db) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private ReelgateFactory _app = null!;

    public Task InitializeAsync()
    {
        _app = ProjectRetention.App(db, keep: false);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Clip_WhenProjectsDoNotKeepFiles_IsDeletedAtTheEndOfRetention_AndSaysSo()
    {
        var (user, clip) = await ProjectRetention.FinishedClipAsync(_app);
        var clipId = clip.GetProperty("id").GetGuid();
        var projectId = clip.GetProperty("projectId").GetGuid();

        JsonElement now = default;
        await ProjectRetention.UntilAsync(async () =>
            (now = await (await user.Session.GetAsync($"/api/v1/clips/{clipId}")).JsonAsync()).GetProperty("status").GetString() == "failed");

        Assert.Equal("expired", now.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(JsonValueKind.Null, now.GetProperty("video").ValueKind);
        Assert.False(await _app.Services.GetRequiredService<IObjectStore>().ExistsAsync($"clips/{user.Id}/{projectId}/{clipId}.mp4"));
    }
}

internal static class ProjectRetention
{
    public static ReelgateFactory App(TestDatabase db, bool keep) => ProviderApp.Create(db.ConnectionString, [], new()
    {
        ["Storage:RetentionHours"] = "0.001",
        ["Storage:SweepInterval"] = "00:00:00.200",
        ["Projects:SyncInterval"] = "00:00:00.200",
        ["Projects:KeepFilesWithProject"] = keep ? "true" : "false",
    });

    /// <summary>A clip made by the local generator, read as soon as it is done.</summary>
    public static async Task<(Registered User, JsonElement Clip)> FinishedClipAsync(ReelgateFactory app)
    {
        var user = await ProviderApp.FundedUserAsync(app, 2);
        var projectId = (await CreateProjectAsync(user.Session, new { title = "Short-lived" })).GetProperty("id").GetGuid();
        var clipId = (await AddClipAsync(user.Session, projectId, await UploadAsync(user.Session, await ProjectMedia.ColorImageAsync("red"))))
            .GetProperty("id").GetGuid();
        var project = await WaitForAsync(user.Session, projectId, NoneGenerating);
        var clip = Clip(project, clipId);
        Assert.Equal("done", clip.GetProperty("status").GetString());
        return (user, clip);
    }

    public static async Task UntilAsync(Func<Task<bool>> condition, double seconds = 30)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(seconds), "the condition did not come true in time");
            await Task.Delay(200);
        }
    }
}
