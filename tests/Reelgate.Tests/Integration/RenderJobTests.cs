using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Reelgate.Credits;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Integration;

public sealed class RenderJobTests : IClassFixture<TestDatabase>, IDisposable
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Jobs:WorkerConcurrency"] = "1",
        ["Jobs:PollInterval"] = "00:00:00.500",
        ["Rendering:Preset"] = "ultrafast",
    };
    private readonly ReelgateFactory _app;
    private readonly TestDatabase _db;

    public RenderJobTests(TestDatabase db)
    {
        _db = db;
        _app = new ReelgateFactory(db.ConnectionString, Settings);
    }

    public void Dispose() => _app.Dispose();

    private static string TitleEdit(double length, string size = "\"width\": 160, \"height\": 90") => $$"""
        {"timeline": {"background": "#202020", "tracks": [{"clips": [
            {"asset": {"type": "title", "text": "Hello {{"{{ NAME }}"}}", "style": "minimal"}, "start": 0, "length": {{length.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}]}]},
         "output": {"format": "mp4", "size": { {{size}} }, "fps": 12},
         "merge": [{"find": "NAME", "replace": "Reelgate"}]}
        """;

    private async Task<(Registered User, HttpClient Client)> FundedUserAsync(decimal credits)
    {
        var user = await Api.RegisterAsync(_app);
        if (credits > 0) await _app.Services.GetRequiredService<CreditAdjustments>().AdjustAsync(user.Id, credits, "test", null, LedgerKinds.Grant, null);
        var key = await Api.CreateKeyAsync(user.Session);
        return (user, _app.CreateApiClient(key));
    }


    private static async Task<JsonElement> WaitForAsync(HttpClient client, Guid id, Func<string, bool> until, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var job = await (await client.GetAsync($"/api/v1/job/{id}")).JsonAsync();
            if (until(job.GetProperty("status").GetString()!) || clock.Elapsed > timeout) return job;
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Render_RunsToDone_ChargesTheOutputPrice_AndServesAPlayableMp4()
    {
        var (_, client) = await FundedUserAsync(5m);

        var submit = await client.PostAsync("/api/v1/render", Api.Json(TitleEdit(2)));
        Assert.Equal(HttpStatusCode.Accepted, submit.StatusCode);
        var queued = await submit.JsonAsync();
        Assert.Equal("queued", queued.GetProperty("status").GetString());
        Assert.Equal(0.10m, queued.GetProperty("credits").GetProperty("held").GetDecimal());
        var id = queued.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/job/{id}", submit.Headers.Location?.ToString());

        var job = await WaitForAsync(client, id, s => s is "done" or "failed", TimeSpan.FromSeconds(60));

        Assert.Equal("done", job.GetProperty("status").GetString());
        Assert.Equal(1.0, job.GetProperty("progress").GetDouble());
        Assert.InRange(job.GetProperty("duration").GetDouble(), 1.9, 2.1);
        Assert.Equal(0.10m, job.GetProperty("credits").GetProperty("charged").GetDecimal());
        Assert.Equal(0m, job.GetProperty("credits").GetProperty("released").GetDecimal());
        var statuses = job.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("status").GetString()).ToList();
        Assert.Equal(["queued", "fetching", "rendering", "saving", "done"], statuses);

        var credits = await (await client.GetAsync("/api/v1/credits")).JsonAsync();
        Assert.Equal(4.90m, credits.GetProperty("available").GetDecimal());
        Assert.Equal(0m, credits.GetProperty("held").GetDecimal());

        var videos = (await (await client.GetAsync($"/api/v1/videos/{id}")).JsonAsync()).GetProperty("videos");
        Assert.Equal("storage", Assert.Single(videos.EnumerateArray()).GetProperty("source").GetString());
        var url = new Uri(job.GetProperty("outputs")[0].GetProperty("url").GetString()!);
        var download = await client.GetAsync(url.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        var path = Path.Combine(Path.GetTempPath(), $"{id}.mp4");
        await File.WriteAllBytesAsync(path, await download.Content.ReadAsByteArrayAsync());
        var probe = Process.Start(new ProcessStartInfo("ffprobe", $"-v error -show_entries stream=codec_name,width,height -of csv=p=0 {path}") { RedirectStandardOutput = true })!;
        var streams = await probe.StandardOutput.ReadToEndAsync();
        await probe.WaitForExitAsync();
        Assert.Contains("h264,160,90", streams);
        File.Delete(path);
    }

    [Fact]
    public async Task Render_WithoutEnoughCredits_Returns402AndCreatesNoJob()
    {
        var (user, client) = await FundedUserAsync(0m);
        var response = await client.PostAsync("/api/v1/render", Api.Json(TitleEdit(2)));
        var problem = await Api.AssertProblemAsync(response, HttpStatusCode.PaymentRequired, "insufficient-credits");
        Assert.Equal(0.10m, problem.GetProperty("required").GetDecimal());
        await using var connection = new NpgsqlConnection(_db.ConnectionString);
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM jobs WHERE user_id = @Id", new { user.Id }));
    }

    [Fact]
    public async Task Render_InvalidEdit_Returns400WithThePathAndChargesNothing()
    {
        var (user, client) = await FundedUserAsync(1m);
        var edit = """{"timeline": {"tracks": [{"clips": [{"asset": {"type": "html", "html": "<p>x</p>"}, "start": 0, "length": -1}]}]}, "output": {"format": "mp4", "resolution": "sd"}}""";
        var response = await client.PostAsync("/api/v1/render", Api.Json(edit));
        var problem = await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation");
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("timeline.tracks[0].clips[0].asset.type", out _) || errors.TryGetProperty("timeline.tracks[0].clips[0].length", out _), errors.GetRawText());
        var credits = await (await user.Session.GetAsync("/api/v1/credits")).JsonAsync();
        Assert.Equal(1m, credits.GetProperty("available").GetDecimal());
    }

    [Fact]
    public async Task Render_WithPrivateAssetUrl_IsRefusedWhenPrivateNetworksAreNotAllowed()
    {
        using var strict = new ReelgateFactory(_db.ConnectionString, new Dictionary<string, string?>(Settings) { ["Fetch:AllowPrivateNetworks"] = "false" });
        var user = await Api.RegisterAsync(strict);
        await strict.Services.GetRequiredService<CreditAdjustments>().AdjustAsync(user.Id, 1m, "test", null, LedgerKinds.Grant, null);
        var edit = """{"timeline": {"tracks": [{"clips": [{"asset": {"type": "image", "src": "http://169.254.169.254/latest/meta-data.png"}, "start": 0, "length": 1}]}]}, "output": {"format": "mp4", "resolution": "preview"}}""";
        var response = await user.Session.PostAsync("/api/v1/render", Api.Json(edit));
        var problem = await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation");
        Assert.True(problem.GetProperty("errors").TryGetProperty("timeline.tracks[0].clips[0].asset.src", out _), problem.GetRawText());
    }

    [Fact]
    public async Task Cancel_WhileRendering_StopsTheJobAndReleasesAllCredits()
    {
        var (_, client) = await FundedUserAsync(5m);
        var submit = await (await client.PostAsync("/api/v1/render", Api.Json(TitleEdit(240, "\"width\": 1280, \"height\": 720")))).JsonAsync();
        var id = submit.GetProperty("id").GetGuid();
        await WaitForAsync(client, id, s => s is "rendering" or "done" or "failed", TimeSpan.FromSeconds(30));

        var cancel = await client.PostAsync($"/api/v1/jobs/{id}/cancel", null);

        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        var job = await cancel.JsonAsync();
        Assert.Equal("canceled", job.GetProperty("status").GetString());
        Assert.Equal(4m, job.GetProperty("credits").GetProperty("released").GetDecimal());
        var credits = await (await client.GetAsync("/api/v1/credits")).JsonAsync();
        Assert.Equal(5m, credits.GetProperty("available").GetDecimal());
        await Api.AssertProblemAsync(await client.PostAsync($"/api/v1/jobs/{id}/cancel", null), HttpStatusCode.Conflict, "job-final");
        await Task.Delay(1500);
        Assert.Equal("canceled", (await (await client.GetAsync($"/api/v1/job/{id}")).JsonAsync()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task AnotherUsersJob_Answers404()
    {
        var (_, owner) = await FundedUserAsync(1m);
        var id = (await (await owner.PostAsync("/api/v1/render", Api.Json(TitleEdit(1)))).JsonAsync()).GetProperty("id").GetGuid();
        var (_, intruder) = await FundedUserAsync(0m);
        await Api.AssertProblemAsync(await intruder.GetAsync($"/api/v1/job/{id}"), HttpStatusCode.NotFound, "not-found");
        await Api.AssertProblemAsync(await intruder.PostAsync($"/api/v1/jobs/{id}/cancel", null), HttpStatusCode.NotFound, "not-found");
        await Api.AssertProblemAsync(await intruder.GetAsync($"/api/v1/videos/{id}"), HttpStatusCode.NotFound, "not-found");
        var list = await (await intruder.GetAsync("/api/v1/jobs")).JsonAsync();
        Assert.Empty(list.GetProperty("data").EnumerateArray());
    }
}
