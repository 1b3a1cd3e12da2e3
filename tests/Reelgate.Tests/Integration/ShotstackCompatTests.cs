using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Reelgate.Credits;
using Reelgate.Tests.Fetch;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Integration;

/// <summary>The Shotstack Edit API surface, driven with the raw requests Shotstack's SDKs send.</summary>
public sealed class ShotstackCompatTests : IClassFixture<TestDatabase>, IDisposable
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Jobs:WorkerConcurrency"] = "1",
        ["Jobs:PollInterval"] = "00:00:00.500",
        ["Rendering:Preset"] = "ultrafast",
        ["Shotstack:Callbacks:BackoffUnit"] = "00:00:00.020",
        ["Shotstack:Callbacks:PollInterval"] = "00:00:00.100",
    };
    private static readonly string[] RenderFields =
        ["id", "owner", "plan", "status", "error", "duration", "renderTime", "url", "poster", "thumbnail", "data", "created", "updated"];

    private readonly ReelgateFactory _app;
    private readonly TestDatabase _db;

    public ShotstackCompatTests(TestDatabase db)
    {
        _db = db;
        _app = new ReelgateFactory(db.ConnectionString, Settings);
    }

    public void Dispose() => _app.Dispose();

    /// <summary>An Edit as the SDKs serialise one: camelCase, only the fields that were set.</summary>
    private static string Edit(string? callback = null, double length = 1) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["timeline"] = new
        {
            background = "#000000",
            tracks = new[] { new { clips = new[] { new { asset = new { type = "title", text = "Hello {{ NAME }}", style = "minimal" }, start = 0, length } } } },
        },
        ["output"] = new { format = "mp4", fps = 12, size = new { width = 160, height = 90 } },
        ["merge"] = new[] { new { find = "NAME", replace = "Reelgate" } },
        ["callback"] = callback,
    }.Where(p => p.Value is not null).ToDictionary());

    private async Task<(Guid UserId, HttpClient Client)> ShotstackClientAsync(decimal credits)
    {
        var session = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var email = $"user-{Guid.NewGuid():N}@example.com";
        var registered = await session.PostAsJsonAsync("/api/v1/auth/register", new { email, password = "correct horse battery" });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var userId = (await registered.JsonAsync()).GetProperty("id").GetGuid();
        if (credits > 0) await _app.Services.GetRequiredService<CreditAdjustments>().AdjustAsync(userId, credits, "test", null, LedgerKinds.Grant, null);
        var key = await Api.CreateKeyAsync(session);
        var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Add("x-api-key", key);
        return (userId, client);
    }


    private static async Task<Guid> SubmitAsync(HttpClient client, string edit, string path = "/edit/v1/render")
    {
        var response = await client.PostAsync(path, Api.Json(edit));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("response").GetProperty("id").GetGuid();
    }

    private static async Task<JsonElement> WaitForFinalAsync(HttpClient client, Guid id)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var body = await (await client.GetAsync($"/edit/v1/render/{id}")).JsonAsync();
            var status = body.GetProperty("response").GetProperty("status").GetString();
            if (status is "done" or "failed" || clock.Elapsed > TimeSpan.FromSeconds(60)) return body;
            await Task.Delay(100);
        }
    }

    private static async Task<JsonElement> AssertErrorEnvelopeAsync(HttpResponseMessage response, HttpStatusCode status, string message)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.JsonAsync();
        Assert.False(body.GetProperty("success").GetBoolean());
        Assert.Equal(message, body.GetProperty("message").GetString());
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("response").GetProperty("error").GetString()));
        return body;
    }

    [Fact]
    public async Task PostRender_ReturnsTheCreatedEnvelope()
    {
        var (_, client) = await ShotstackClientAsync(5m);

        var response = await client.PostAsync("/edit/v1/render", Api.Json(Edit()));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(["success", "message", "response"], body.EnumerateObject().Select(p => p.Name));
        Assert.True(body.GetProperty("success").GetBoolean());
        Assert.Equal("Created", body.GetProperty("message").GetString());
        Assert.Equal(["message", "id"], body.GetProperty("response").EnumerateObject().Select(p => p.Name));
        Assert.Equal("Render Successfully Queued", body.GetProperty("response").GetProperty("message").GetString());
        Assert.True(Guid.TryParse(body.GetProperty("response").GetProperty("id").GetString(), out _));
    }

    [Fact]
    public async Task GetRender_ReachesDone_WithADownloadableUrl_AndOmitsAbsentFields()
    {
        var (userId, client) = await ShotstackClientAsync(5m);
        var id = await SubmitAsync(client, Edit());

        var body = await WaitForFinalAsync(client, id);

        Assert.True(body.GetProperty("success").GetBoolean());
        Assert.Equal("OK", body.GetProperty("message").GetString());
        var render = body.GetProperty("response");
        Assert.Equal("done", render.GetProperty("status").GetString());
        Assert.Equal(id, render.GetProperty("id").GetGuid());
        Assert.Equal(userId.ToString(), render.GetProperty("owner").GetString());
        Assert.InRange(render.GetProperty("duration").GetDouble(), 0.9, 1.1);
        Assert.True(render.GetProperty("renderTime").GetDouble() > 0);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", render.GetProperty("created").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", render.GetProperty("updated").GetString());
        var names = render.EnumerateObject().Select(p => p.Name).ToList();
        Assert.All(names, name => Assert.Contains(name, RenderFields));
        Assert.All(render.EnumerateObject(), p => Assert.NotEqual(JsonValueKind.Null, p.Value.ValueKind));
        foreach (var absent in new[] { "error", "plan", "poster", "thumbnail" }) Assert.False(render.TryGetProperty(absent, out _), absent);
        Assert.Equal(JsonValueKind.Object, render.GetProperty("data").ValueKind);

        var url = new Uri(render.GetProperty("url").GetString()!);
        var download = await client.GetAsync(url.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        var bytes = await download.Content.ReadAsByteArrayAsync();
        Assert.Equal("ftyp", Encoding.ASCII.GetString(bytes, 4, 4));
    }

    [Fact]
    public async Task GetRender_WithData_ReturnsTheEditAsSubmitted_OrMergedWhenAsked()
    {
        var (_, client) = await ShotstackClientAsync(5m);
        var id = await SubmitAsync(client, Edit(), "/stage/render");

        var original = (await (await client.GetAsync($"/v1/render/{id}?data=true")).JsonAsync()).GetProperty("response").GetProperty("data");
        var merged = (await (await client.GetAsync($"/edit/stage/render/{id}?data=true&merged=true")).JsonAsync()).GetProperty("response").GetProperty("data");
        var without = (await (await client.GetAsync($"/edit/v1/render/{id}?data=false&merged=true")).JsonAsync()).GetProperty("response");

        Assert.Equal("Hello {{ NAME }}", TitleText(original));
        Assert.Equal("Hello Reelgate", TitleText(merged));
        Assert.False(without.TryGetProperty("data", out _));
    }

    private static string? TitleText(JsonElement edit) =>
        edit.GetProperty("timeline").GetProperty("tracks")[0].GetProperty("clips")[0].GetProperty("asset").GetProperty("text").GetString();

    [Fact]
    public async Task PostRender_InvalidEdit_Returns400EnvelopeNamingThePath()
    {
        var (_, client) = await ShotstackClientAsync(5m);
        var edit = """{"timeline":{"tracks":[{"clips":[{"asset":{"type":"title","text":"x"},"start":0,"length":-1}]}]},"output":{"format":"mp4","resolution":"sd"}}""";

        var response = await client.PostAsync("/edit/v1/render", Api.Json(edit));

        var body = await AssertErrorEnvelopeAsync(response, HttpStatusCode.BadRequest, "Bad Request");
        Assert.Contains("timeline.tracks[0].clips[0].length: ", body.GetProperty("response").GetProperty("error").GetString());
    }

    [Fact]
    public async Task PostRender_WithoutCredits_Returns402Envelope()
    {
        var (_, client) = await ShotstackClientAsync(0m);
        var response = await client.PostAsync("/edit/v1/render", Api.Json(Edit()));
        await AssertErrorEnvelopeAsync(response, HttpStatusCode.PaymentRequired, "Payment Required");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("rg_live_not_a_real_key")]
    public async Task Render_WithoutAValidKey_Returns401Envelope(string? key)
    {
        var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (key is not null) client.DefaultRequestHeaders.Add("x-api-key", key);

        await AssertErrorEnvelopeAsync(await client.PostAsync("/edit/v1/render", Api.Json(Edit())), HttpStatusCode.Unauthorized, "Unauthorized");
        await AssertErrorEnvelopeAsync(await client.GetAsync($"/v1/render/{Guid.CreateVersion7()}"), HttpStatusCode.Unauthorized, "Unauthorized");
    }

    [Fact]
    public async Task GetRender_AnotherUsersOrUnknownId_Returns404Envelope()
    {
        var (_, owner) = await ShotstackClientAsync(5m);
        var id = await SubmitAsync(owner, Edit());
        var (_, intruder) = await ShotstackClientAsync(0m);

        await AssertErrorEnvelopeAsync(await intruder.GetAsync($"/edit/v1/render/{id}"), HttpStatusCode.NotFound, "Not Found");
        await AssertErrorEnvelopeAsync(await intruder.GetAsync("/edit/v1/render/not-a-uuid"), HttpStatusCode.NotFound, "Not Found");
        await Api.AssertProblemAsync(await intruder.GetAsync($"/api/v1/render/{id}"), HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task UnknownStage_Answers404()
    {
        var (_, client) = await ShotstackClientAsync(5m);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/edit/v2/render", Api.Json(Edit()))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/dev/render", Api.Json(Edit()))).StatusCode);
    }

    [Fact]
    public async Task ApiRenderStatus_ReturnsTheSameEnvelope()
    {
        var (_, client) = await ShotstackClientAsync(5m);
        var id = await SubmitAsync(client, Edit());

        var response = await client.GetAsync($"/api/v1/render/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.True(body.GetProperty("success").GetBoolean());
        Assert.Equal(id, body.GetProperty("response").GetProperty("id").GetGuid());
        Assert.Contains(body.GetProperty("response").GetProperty("status").GetString(), new[] { "queued", "fetching", "rendering", "saving", "done" });
    }

    [Fact]
    public async Task Callback_WhenTheRenderIsDone_ReceivesOneShotstackPayload()
    {
        var received = new ConcurrentQueue<JsonElement>();
        await using var receiver = await TestHttpServer.StartAsync(app => app.MapPost("/hook", async (HttpRequest request) =>
        {
            received.Enqueue(await request.ReadFromJsonAsync<JsonElement>());
            return Results.Ok();
        }));
        var (userId, client) = await ShotstackClientAsync(5m);

        var id = await SubmitAsync(client, Edit(receiver.Url("/hook").ToString()));

        await WaitUntilAsync(() => !received.IsEmpty);
        await Task.Delay(1000);
        var payload = Assert.Single(received);
        Assert.Equal(["type", "action", "id", "owner", "status", "url", "error", "completed"], payload.EnumerateObject().Select(p => p.Name));
        Assert.Equal("edit", payload.GetProperty("type").GetString());
        Assert.Equal("render", payload.GetProperty("action").GetString());
        Assert.Equal(id, payload.GetProperty("id").GetGuid());
        Assert.Equal(userId.ToString(), payload.GetProperty("owner").GetString());
        Assert.Equal("done", payload.GetProperty("status").GetString());
        Assert.StartsWith("http", payload.GetProperty("url").GetString());
        Assert.Equal(JsonValueKind.Null, payload.GetProperty("error").ValueKind);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", payload.GetProperty("completed").GetString());
    }

    [Fact]
    public async Task Callback_Answering500Twice_IsDeliveredOnTheThirdAttempt()
    {
        var calls = 0;
        await using var receiver = await TestHttpServer.StartAsync(app => app.MapPost("/flaky", () =>
            Interlocked.Increment(ref calls) <= 2 ? Results.StatusCode(500) : Results.Ok()));
        var (_, client) = await ShotstackClientAsync(5m);

        var id = await SubmitAsync(client, Edit(receiver.Url("/flaky").ToString()));

        await WaitUntilAsync(() => Volatile.Read(ref calls) >= 3);
        await Task.Delay(1500);
        Assert.Equal(3, Volatile.Read(ref calls));
        await using var connection = new NpgsqlConnection(_db.ConnectionString);
        var codes = await connection.QueryAsync<int?>("""
            SELECT a.status_code FROM shotstack_callback_attempts a JOIN shotstack_callbacks c ON c.id = a.callback_id
            WHERE c.job_id = @id ORDER BY a.attempt
            """, new { id });
        Assert.Equal([500, 500, 200], codes);
        Assert.Equal("delivered", await connection.ExecuteScalarAsync<string>("SELECT state FROM shotstack_callbacks WHERE job_id = @id", new { id }));
    }

    [Fact]
    public async Task PostRender_WithAPrivateCallback_IsRefusedWhenPrivateNetworksAreNotAllowed()
    {
        using var strict = new ReelgateFactory(_db.ConnectionString, new Dictionary<string, string?>(Settings) { ["Fetch:AllowPrivateNetworks"] = "false" });
        var session = strict.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var registered = await session.PostAsJsonAsync("/api/v1/auth/register", new { email = $"user-{Guid.NewGuid():N}@example.com", password = "correct horse battery" });
        var userId = (await registered.JsonAsync()).GetProperty("id").GetGuid();
        await strict.Services.GetRequiredService<CreditAdjustments>().AdjustAsync(userId, 1m, "test", null, LedgerKinds.Grant, null);
        var client = strict.CreateClient();
        client.DefaultRequestHeaders.Add("x-api-key", await Api.CreateKeyAsync(session));

        var response = await client.PostAsync("/edit/v1/render", Api.Json(Edit("http://169.254.169.254/latest/meta-data")));

        var body = await AssertErrorEnvelopeAsync(response, HttpStatusCode.BadRequest, "Bad Request");
        Assert.StartsWith("callback: ", body.GetProperty("response").GetProperty("error").GetString());
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition() && clock.Elapsed < TimeSpan.FromSeconds(60)) await Task.Delay(100);
        Assert.True(condition(), "timed out");
    }
}
