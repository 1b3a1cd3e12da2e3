using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reelgate.Tests.Fetch;
using Reelgate.Tests.Support;
using static Reelgate.Tests.Shotstack.ShotstackUsers;

namespace Reelgate.Tests.Shotstack;

/// <summary>GET /probe/{url} with the URL percent-encoded into the path, as the SDKs send it.</summary>
public sealed class ShotstackProbeTests : IClassFixture<TestDatabase>, IDisposable
{
    private static readonly string ProbeFolder = Path.Combine(Path.GetTempPath(), "reelgate-probe");

    private readonly TestDatabase _db;
    private readonly ReelgateFactory _app;
    private readonly string _media = Path.Combine(Path.GetTempPath(), $"probe-{Guid.NewGuid():N}.mp4");

    public ShotstackProbeTests(TestDatabase db)
    {
        _db = db;
        _app = new ReelgateFactory(db.ConnectionString, Settings);
        using var ffmpeg = Process.Start("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "testsrc=size=160x90:rate=10:duration=2", "-pix_fmt", "yuv420p", _media])!;
        ffmpeg.WaitForExit();
        Assert.Equal(0, ffmpeg.ExitCode);
    }

    public void Dispose()
    {
        _app.Dispose();
        File.Delete(_media);
    }

    private Task<TestHttpServer> MediaServerAsync() => TestHttpServer.StartAsync(app =>
    {
        app.MapGet("/media/{name}", (string name, string? v) => name == "clip one.mp4" && v == "1"
            ? Results.File(_media, "video/mp4")
            : Results.NotFound());
        app.MapGet("/notes.txt", () => Results.Text("not media at all"));
    });

    /// <summary>encodeURIComponent of the URL as sent, so an escape inside it (%20) arrives encoded twice (%2520).</summary>
    private static string ProbePath(Uri url) => $"/edit/v1/probe/{Uri.EscapeDataString(url.AbsoluteUri)}";

    [Fact]
    public async Task Probe_OfALocalMediaFile_AnswersFfprobeJson_InTheCreatedEnvelope_AndLeavesNoFile()
    {
        await using var server = await MediaServerAsync();
        var (_, client) = await CreateAsync(_app, 0m);
        var url = server.Url("/media/clip%20one.mp4?v=1");

        var probe = await AssertEnvelopeAsync(await client.GetAsync(ProbePath(url)), HttpStatusCode.OK, "Created");

        AssertFields(probe, "streams", "format");
        var stream = probe.GetProperty("streams")[0];
        Assert.Equal("video", stream.GetProperty("codec_type").GetString());
        Assert.Equal(160, stream.GetProperty("width").GetInt32());
        Assert.Equal(90, stream.GetProperty("height").GetInt32());
        var format = probe.GetProperty("format");
        Assert.Equal(url.AbsoluteUri, format.GetProperty("filename").GetString());
        Assert.InRange(double.Parse(format.GetProperty("duration").GetString()!, System.Globalization.CultureInfo.InvariantCulture), 1.9, 2.1);
        Assert.Equal(1, server.RequestCount);
        Assert.Empty(Directory.Exists(ProbeFolder) ? Directory.GetFiles(ProbeFolder) : []);
    }

    [Fact]
    public async Task Probe_OnTheLegacyBase_AcceptsAnUnencodedUrl()
    {
        await using var server = await MediaServerAsync();
        var (_, client) = await CreateAsync(_app, 0m);

        var probe = await AssertEnvelopeAsync(await client.GetAsync($"/stage/probe/{server.Url("/media/clip%20one.mp4")}%3Fv%3D1"), HttpStatusCode.OK, "Created");

        Assert.Equal("video", probe.GetProperty("streams")[0].GetProperty("codec_type").GetString());
    }

    [Fact]
    public async Task Probe_OfAPrivateAddress_IsRefusedWithoutConnecting()
    {
        using var strict = new ReelgateFactory(_db.ConnectionString, new Dictionary<string, string?>(Settings) { ["Fetch:AllowPrivateNetworks"] = "false" });
        await using var server = await MediaServerAsync();
        var (_, client) = await CreateAsync(strict, 0m);

        var error = await AssertErrorAsync(await client.GetAsync(ProbePath(server.Url("/media/clip%20one.mp4?v=1"))), HttpStatusCode.BadRequest, "Bad Request");

        Assert.StartsWith("url: cannot be fetched: ", error);
        Assert.Contains("loopback", error);
        Assert.Equal(0, server.RequestCount);
    }

    [Fact]
    public async Task Probe_OfSomethingThatIsNotMedia_OrMissing_Returns400NamingTheUrl()
    {
        await using var server = await MediaServerAsync();
        var (_, client) = await CreateAsync(_app, 0m);

        var text = await AssertErrorAsync(await client.GetAsync(ProbePath(server.Url("/notes.txt"))), HttpStatusCode.BadRequest, "Bad Request");
        var missing = await AssertErrorAsync(await client.GetAsync(ProbePath(server.Url("/media/gone.mp4"))), HttpStatusCode.BadRequest, "Bad Request");
        var notAUrl = await AssertErrorAsync(await client.GetAsync("/edit/v1/probe/not%20a%20url"), HttpStatusCode.BadRequest, "Bad Request");

        Assert.StartsWith("url: ", text);
        Assert.StartsWith("url: cannot be fetched: ", missing);
        Assert.StartsWith("url: ", notAUrl);
        Assert.Empty(Directory.Exists(ProbeFolder) ? Directory.GetFiles(ProbeFolder) : []);
    }

    [Fact]
    public async Task Probe_OfAFileOverTheLimit_IsRefused()
    {
        using var small = new ReelgateFactory(_db.ConnectionString, new Dictionary<string, string?>(Settings) { ["Shotstack:Probe:MaxBytes"] = "1000" });
        await using var server = await MediaServerAsync();
        var (_, client) = await CreateAsync(small, 0m);

        var error = await AssertErrorAsync(await client.GetAsync(ProbePath(server.Url("/media/clip%20one.mp4?v=1"))), HttpStatusCode.BadRequest, "Bad Request");

        Assert.Contains("1000 bytes", error);
    }
}
