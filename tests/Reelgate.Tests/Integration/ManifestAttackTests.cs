using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Reelgate.Credits;
using Reelgate.Storage;
using Reelgate.Tests.Fetch;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Integration;

/// <summary>
/// One tenant must never read another's stored video by handing ffmpeg a playlist or manifest that points at a local
/// file. Each form of the attack is refused: at submission when the asset is fetched there, otherwise the job fails.
/// </summary>
public sealed class ManifestAttackTests : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private const string SrcPath = "timeline.tracks[0].clips[0].asset.src";
    private readonly ReelgateFactory _app;
    private TestHttpServer _server = null!;
    private string _victimFile = "";

    public ManifestAttackTests(TestDatabase db) =>
        _app = new ReelgateFactory(db.ConnectionString, new Dictionary<string, string?>
        {
            ["Jobs:WorkerConcurrency"] = "1",
            ["Jobs:PollInterval"] = "00:00:00.300",
            ["Rendering:Preset"] = "ultrafast",
        });

    public async Task InitializeAsync()
    {
        _victimFile = await VictimVideoAsync();
        _server = await TestHttpServer.StartAsync(app =>
        {
            app.MapGet("/{name}", (string name) => Manifest(name, _victimFile) is { } body
                ? Results.Text(body.Content, body.Type)
                : Results.NotFound());
        });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _app.DisposeAsync();
    }

    public static TheoryData<string> Attacks => new() { "video.mpd", "video.m3u8", "video.ffconcat", "renamed.mp4" };

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task ManifestAsVideo_JobFails_AndNothingOfTheVictimIsOutput(string name)
    {
        var client = await AttackerAsync();

        var submit = await client.PostAsync("/api/v1/render", Api.Json(Edit(_server.Url(name), "2")));
        Assert.Equal(HttpStatusCode.Accepted, submit.StatusCode);
        var id = (await submit.JsonAsync()).GetProperty("id").GetGuid();
        var job = await WaitForFinalAsync(client, id);

        Assert.Equal("failed", job.GetProperty("status").GetString());
        var error = job.GetProperty("error");
        Assert.Equal("asset-unsupported", error.GetProperty("code").GetString());
        Assert.Contains(SrcPath, error.GetProperty("message").GetString());
        Assert.Empty(job.GetProperty("outputs").EnumerateArray());
        var credits = await (await client.GetAsync("/api/v1/credits")).JsonAsync();
        Assert.Equal(5m, credits.GetProperty("available").GetDecimal());
        Assert.Equal(0m, credits.GetProperty("held").GetDecimal());
    }

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task ManifestAsVideo_WhoseLengthIsMeasuredAtSubmission_Is400AtTheAssetPath(string name)
    {
        var client = await AttackerAsync();

        var submit = await client.PostAsync("/api/v1/render", Api.Json(Edit(_server.Url(name), "\"auto\"")));

        Assert.Equal(HttpStatusCode.BadRequest, submit.StatusCode);
        var errors = (await submit.JsonAsync()).GetProperty("errors");
        Assert.Contains("unrecognised format", errors.GetProperty(SrcPath)[0].GetString());
        var credits = await (await client.GetAsync("/api/v1/credits")).JsonAsync();
        Assert.Equal(5m, credits.GetProperty("available").GetDecimal());
    }

    private static (string Content, string Type)? Manifest(string name, string target) => name switch
    {
        "video.mpd" => ($"""
            <?xml version="1.0" encoding="UTF-8"?>
            <MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" mediaPresentationDuration="PT2S" minBufferTime="PT1S" profiles="urn:mpeg:dash:profile:isoff-on-demand:2011">
              <Period><AdaptationSet mimeType="video/mp4"><Representation id="1" bandwidth="100000" width="160" height="90">
                <BaseURL>file://{target}</BaseURL>
              </Representation></AdaptationSet></Period>
            </MPD>
            """, "application/dash+xml"),
        "video.m3u8" or "renamed.mp4" => ($"#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\nfile://{target}\n#EXT-X-ENDLIST\n",
            name == "renamed.mp4" ? "video/mp4" : "application/vnd.apple.mpegurl"),
        "video.ffconcat" => ($"ffconcat version 1.0\nfile '{target}'\n", "text/plain"),
        _ => null,
    };

    private static string Edit(Uri src, string length) => $$$"""
        {"timeline": {"tracks": [{"clips": [{"asset": {"type": "video", "src": "{{{src}}}"}, "start": 0, "length": {{{length}}}}]}]},
         "output": {"format": "mp4", "size": {"width": 160, "height": 90}, "fps": 12}}
        """;

    /// <summary>Another user's finished render, as stored on this machine.</summary>
    private async Task<string> VictimVideoAsync()
    {
        var victim = await FundedClientAsync();
        const string edit = """
            {"timeline": {"tracks": [{"clips": [{"asset": {"type": "title", "text": "private"}, "start": 0, "length": 2}]}]},
             "output": {"format": "mp4", "size": {"width": 160, "height": 90}, "fps": 12}}
            """;
        var submit = await victim.PostAsync("/api/v1/render", Api.Json(edit));
        var job = await WaitForFinalAsync(victim, (await submit.JsonAsync()).GetProperty("id").GetGuid());
        Assert.Equal("done", job.GetProperty("status").GetString());
        var root = _app.Services.GetRequiredService<IOptions<StorageOptions>>().Value.LocalPath;
        return Path.GetFullPath(Directory.EnumerateFiles(root, "*.mp4", SearchOption.AllDirectories).Single());
    }

    private async Task<HttpClient> AttackerAsync() => await FundedClientAsync();

    private async Task<HttpClient> FundedClientAsync()
    {
        var user = await Api.RegisterAsync(_app);
        await _app.Services.GetRequiredService<CreditAdjustments>().AdjustAsync(user.Id, 5m, "test", null, LedgerKinds.Grant, null);
        return _app.CreateApiClient(await Api.CreateKeyAsync(user.Session));
    }

    private static async Task<JsonElement> WaitForFinalAsync(HttpClient client, Guid id)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var job = await (await client.GetAsync($"/api/v1/job/{id}")).JsonAsync();
            if (job.GetProperty("status").GetString() is "done" or "failed" or "canceled" || clock.Elapsed > TimeSpan.FromSeconds(60)) return job;
            await Task.Delay(100);
        }
    }
}
