using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reelgate.Tests.Fetch;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Providers;

/// <summary>POST /api/v1/render?provider=shotstack: Edits forwarded with our key and callback, the output copied to our storage.</summary>
public sealed class ShotstackForwardingTests(TestDatabase db) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private FakeShotstack _shotstack = null!;
    private ReelgateFactory _app = null!;

    public async Task InitializeAsync()
    {
        _shotstack = await FakeShotstack.StartAsync();
        _app = ProviderApp.Create(db.ConnectionString, [_shotstack]);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _shotstack.DisposeAsync();
    }

    /// <summary>An html5 clip (which only Shotstack draws) under a skewed title, and the user's own callback.</summary>
    private static string EditWithCallback(Uri callback) => HtmlEdit.Replace("http://127.0.0.1:9/hooks/render", callback.ToString(), StringComparison.Ordinal);

    private const string HtmlEdit = """
        {"timeline": {"tracks": [{"clips": [
            {"asset": {"type": "html5", "html": "<p>Hello</p>", "css": "p { color: red; }", "js": "document.title = 1"}, "start": 0, "length": 1},
            {"asset": {"type": "title", "text": "Hi"}, "start": 0, "length": 1, "transform": {"skew": {"x": 0.2}}}]}]},
         "output": {"format": "mp4", "resolution": "sd"},
         "callback": "http://127.0.0.1:9/hooks/render"}
        """;


    [Fact]
    public async Task ForwardedRender_GoesToShotstackWithOurCallback_AndTheOutputIsCopiedToOurStorage()
    {
        var received = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var hooks = await TestHttpServer.StartAsync(app => app.MapPost("/hooks/render", async (HttpRequest request) =>
        {
            received.Enqueue(await new StreamReader(request.Body).ReadToEndAsync());
            return Results.Ok();
        }));
        var user = await ProviderApp.FundedUserAsync(_app, 1);

        var response = await user.Session.PostAsync("/api/v1/render?provider=shotstack", Api.Json(EditWithCallback(hooks.Url("/hooks/render"))));

        var body = await response.JsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body.ToString());
        var id = body.GetProperty("id").GetGuid();
        var job = await ProviderApp.FinalAsync(user.Session, id);
        Assert.Equal("done", job.GetProperty("status").GetString());
        Assert.Equal("shotstack", job.GetProperty("provider").GetString());
        var sent = JsonDocument.Parse(Assert.Single(_shotstack.Jobs.Values).Request).RootElement;
        Assert.StartsWith($"{ProviderApp.PublicBaseUrl}/api/v1/webhook?job={id}&token=", sent.GetProperty("callback").GetString());
        Assert.Equal("html5", sent.GetProperty("timeline").GetProperty("tracks")[0].GetProperty("clips")[0].GetProperty("asset").GetProperty("type").GetString());
        // A status read may finish the job before the fake has recorded our answer to its callback.
        var delivered = System.Diagnostics.Stopwatch.StartNew();
        while (!_shotstack.Callbacks.Any(c => c.Status == 200) && delivered.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(50);
        Assert.Contains(_shotstack.Callbacks, c => c.Status == 200);
        var status = await (await user.Session.GetAsync($"/api/v1/render/{id}")).JsonAsync();
        Assert.Equal("done", status.GetProperty("response").GetProperty("status").GetString());
        var url = status.GetProperty("response").GetProperty("url").GetString()!;
        Assert.DoesNotContain(_shotstack.BaseAddress.Authority, url);
        Assert.Equal(await File.ReadAllBytesAsync(_shotstack.VideoPath), await _app.CreateClient().GetByteArrayAsync(new Uri(url).PathAndQuery));
        Assert.Equal(0.10m, job.GetProperty("credits").GetProperty("charged").GetDecimal());
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (received.IsEmpty && clock.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(50);
        var userCallback = JsonDocument.Parse(Assert.Single(received)).RootElement;
        Assert.Equal(id, userCallback.GetProperty("id").GetGuid());
        Assert.Equal("done", userCallback.GetProperty("status").GetString());
        Assert.DoesNotContain(_shotstack.BaseAddress.Authority, userCallback.GetProperty("url").GetString());
    }

    [Fact]
    public async Task RenderStatus_ReflectsShotstacksCurrentStatusWhileItRuns()
    {
        // Each state lasts longer than the longest gap between polls (150 ms doubling to 2.4 s, +25% jitter = 3 s), so none can slip between them.
        _shotstack.StepDelay = TimeSpan.FromSeconds(3.5);
        _shotstack.SendCallbacks = false;
        var user = await ProviderApp.FundedUserAsync(_app, 1);
        var id = (await (await user.Session.PostAsync("/api/v1/render?provider=shotstack", Api.Json(HtmlEdit))).JsonAsync()).GetProperty("id").GetGuid();

        var seen = new List<string>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            var status = (await (await user.Session.GetAsync($"/api/v1/render/{id}")).JsonAsync()).GetProperty("response").GetProperty("status").GetString()!;
            if (seen.Count == 0 || seen[^1] != status) seen.Add(status);
            if (status is "done" or "failed") break;
            await Task.Delay(50);
        }

        Assert.Equal("done", seen[^1]);
        Assert.Contains("rendering", seen);
        Assert.Contains("fetching", seen);
        Assert.All(seen, s => Assert.Contains(s, new[] { "queued", "fetching", "rendering", "saving", "done" }));
    }

    [Fact]
    public async Task ShotstackRejection_FailsTheJobWithShotstacksMessage_AndReleasesTheCredits()
    {
        _shotstack.FailSubmits(400, 1, """{"success":false,"message":"Bad Request","response":{"error":"Font family Comic Neue is not available"}}""");
        var user = await ProviderApp.FundedUserAsync(_app, 1);
        var id = (await (await user.Session.PostAsync("/api/v1/render?provider=shotstack", Api.Json(HtmlEdit))).JsonAsync()).GetProperty("id").GetGuid();

        var job = await ProviderApp.FinalAsync(user.Session, id);

        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Equal("upstream-rejected", job.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("Font family Comic Neue is not available", job.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(1m, (await ProviderApp.CreditsAsync(user.Session)).GetProperty("available").GetDecimal());
    }

    [Fact]
    public async Task LocalRender_StillRefusesAssetsOnlyShotstackDraws()
    {
        var user = await ProviderApp.FundedUserAsync(_app, 1);

        var response = await user.Session.PostAsync("/api/v1/render?provider=local", Api.Json(HtmlEdit));

        var problem = await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation");
        Assert.True(problem.GetProperty("errors").TryGetProperty("timeline.tracks[0].clips[0].asset.type", out _));
        Assert.Empty(_shotstack.Jobs);
    }

    private const string TitleEdit = """
        {"timeline": {"tracks": [{"clips": [{"asset": {"type": "title", "text": "Hi"}, "start": 0, "length": 1, "transform": {"skew": {"x": 0.2}}}]}]},
         "output": {"format": "mp4", "size": {"width": 160, "height": 90}}}
        """;

    [Fact]
    public async Task Auto_IsTheDefault_AndRendersLocallyWhatTheLocalRendererDraws_SayingWhy()
    {
        var user = await ProviderApp.FundedUserAsync(_app, 1);

        var response = await user.Session.PostAsync("/edit/v1/render", Api.Json(TitleEdit));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.JsonAsync()).GetProperty("response").GetProperty("id").GetGuid();
        var job = await ProviderApp.FinalAsync(user.Session, id);
        Assert.Equal("done", job.GetProperty("status").GetString());
        Assert.Equal("local", job.GetProperty("provider").GetString());
        Assert.Contains(job.GetProperty("events").EnumerateArray(), e => e.GetProperty("message").GetString()!.StartsWith("Rendered here", StringComparison.Ordinal));
        Assert.Empty(_shotstack.Jobs);
    }

    [Fact]
    public async Task Auto_ForwardsWhatOnlyShotstackDraws_NamingWhatTheLocalRendererLacks()
    {
        var user = await ProviderApp.FundedUserAsync(_app, 1);

        var response = await user.Session.PostAsync("/api/v1/render?provider=auto", Api.Json(HtmlEdit));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.JsonAsync()).GetProperty("id").GetGuid();
        var job = await ProviderApp.FinalAsync(user.Session, id);
        Assert.Equal("done", job.GetProperty("status").GetString());
        Assert.Equal("shotstack", job.GetProperty("provider").GetString());
        var why = job.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("message").GetString()!).Single(m => m.StartsWith("Sent to Shotstack", StringComparison.Ordinal));
        Assert.Contains("timeline.tracks[0].clips[0].asset.type", why);
        Assert.Single(_shotstack.Jobs);
    }

    [Fact]
    public async Task Auto_EditWithARealError_Is400NamingOnlyThatError()
    {
        var user = await ProviderApp.FundedUserAsync(_app, 1);
        var edit = HtmlEdit.Replace("\"resolution\": \"sd\"", "\"resolution\": \"sd\", \"colour\": \"red\"", StringComparison.Ordinal);

        var response = await user.Session.PostAsync("/api/v1/render", Api.Json(edit));

        var problem = await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation");
        var errors = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(["output.colour"], errors);
        Assert.Empty(_shotstack.Jobs);
        Assert.Equal(1m, (await ProviderApp.CreditsAsync(user.Session)).GetProperty("available").GetDecimal());
    }

    [Fact]
    public async Task ForwardedEdit_IsStillValidatedAgainstTheSchema()
    {
        var user = await ProviderApp.FundedUserAsync(_app, 1);
        var edit = HtmlEdit.Replace("\"resolution\": \"sd\"", "\"resolution\": \"sd\", \"colour\": \"red\"", StringComparison.Ordinal);

        var response = await user.Session.PostAsync("/api/v1/render?provider=shotstack", Api.Json(edit));

        var problem = await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation");
        Assert.True(problem.GetProperty("errors").TryGetProperty("output.colour", out _));
        Assert.Empty(_shotstack.Jobs);
    }

    [Fact]
    public async Task UnknownRenderProvider_Answers400AtProvider()
    {
        var user = await ProviderApp.FundedUserAsync(_app, 1);

        var response = await user.Session.PostAsync("/api/v1/render?provider=runway", Api.Json(HtmlEdit));

        var problem = await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation");
        Assert.True(problem.GetProperty("errors").TryGetProperty("provider", out _));
    }
}
