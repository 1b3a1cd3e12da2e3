using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Webhooks;

/// <summary>Signed deliveries to a real receiver on 127.0.0.1 that verifies every signature it is sent.</summary>
public sealed class WebhookDeliveryTests : IClassFixture<TestDatabase>, IDisposable
{
    private readonly TestDatabase _db;
    private readonly WebhookTestApp _app;

    public WebhookDeliveryTests(TestDatabase db)
    {
        _db = db;
        _app = new WebhookTestApp(db.ConnectionString);
    }

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task CompletedRender_DeliversExactlyOneSignedJobCompleted_CarryingTheJobObject()
    {
        await using var receiver = await SignedReceiver.StartAsync();
        var (_, client) = await _app.UserAsync(5m);
        receiver.Secret = await WebhookTestApp.RegisterEndpointAsync(client, receiver.Url);

        var id = await WebhookTestApp.SubmitRenderAsync(client);

        await WebhookTestApp.WaitUntilAsync(() => receiver.Received.Count > 0);
        await Task.Delay(1000);
        var webhook = Assert.Single(receiver.Received);
        Assert.True(webhook.SignatureValid, $"signature {webhook.Signature} did not verify");
        var payload = webhook.Json;
        Assert.Equal(["type", "timestamp", "data"], payload.EnumerateObject().Select(p => p.Name));
        Assert.Equal("job.completed", payload.GetProperty("type").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", payload.GetProperty("timestamp").GetString());
        var data = payload.GetProperty("data");
        var job = await (await client.GetAsync($"/api/v1/job/{id}")).JsonAsync();
        Assert.Equal(job.EnumerateObject().Select(p => p.Name), data.EnumerateObject().Select(p => p.Name));
        foreach (var field in new[] { "id", "kind", "status", "progress", "createdAt", "completedAt", "duration", "credits", "error", "events" })
        {
            Assert.Equal(job.GetProperty(field).GetRawText(), data.GetProperty(field).GetRawText());
        }
        Assert.Equal("done", data.GetProperty("status").GetString());
        var download = await client.GetAsync(new Uri(data.GetProperty("outputs")[0].GetProperty("url").GetString()!).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);

        var delivery = Assert.Single((await WebhookTestApp.DeliveriesAsync(client)).EnumerateArray());
        Assert.Equal(webhook.Id, delivery.GetProperty("id").GetString());
        Assert.Equal("delivered", delivery.GetProperty("status").GetString());
        Assert.Equal(id, delivery.GetProperty("jobId").GetGuid());
        Assert.Equal(200, Assert.Single(delivery.GetProperty("attempts").EnumerateArray()).GetProperty("statusCode").GetInt32());
    }

    [Fact]
    public async Task FailedRender_DeliversASignedJobFailed_WithTheJobsError()
    {
        await using var receiver = await SignedReceiver.StartAsync();
        var (_, client) = await _app.UserAsync(5m);
        receiver.Secret = await WebhookTestApp.RegisterEndpointAsync(client, receiver.Url);
        var edit = $$"""
            {"timeline": {"tracks": [{"clips": [{"asset": {"type": "image", "src": "{{new Uri(receiver.Url, "/missing.png")}}"}, "start": 0, "length": 1}]}]},
             "output": {"format": "mp4", "size": {"width": 160, "height": 90}, "fps": 12} }
            """;

        var submit = await client.PostAsync("/api/v1/render", Api.Json(edit));
        var id = (await submit.JsonAsync()).GetProperty("id").GetGuid();

        await WebhookTestApp.WaitUntilAsync(() => receiver.Received.Count > 0);
        var webhook = Assert.Single(receiver.Received);
        Assert.True(webhook.SignatureValid);
        Assert.Equal("job.failed", webhook.Json.GetProperty("type").GetString());
        var data = webhook.Json.GetProperty("data");
        Assert.Equal(id, data.GetProperty("id").GetGuid());
        Assert.Equal("failed", data.GetProperty("status").GetString());
        Assert.Equal("asset-fetch-failed", data.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Receiver_Answering500Twice_GetsThreeAttemptsWithGrowingWaits_AndTheDeliveriesListShowsThem()
    {
        await using var receiver = await SignedReceiver.StartAsync(n => n <= 2 ? 500 : 200);
        var (_, client) = await _app.UserAsync(5m);
        receiver.Secret = await WebhookTestApp.RegisterEndpointAsync(client, receiver.Url);

        var id = await WebhookTestApp.CanceledJobAsync(client);

        await WebhookTestApp.WaitUntilAsync(() => receiver.Received.Count >= 3);
        await Task.Delay(1000);
        var received = receiver.Received;
        Assert.Equal(3, received.Count);
        Assert.All(received, webhook => Assert.True(webhook.SignatureValid));
        Assert.Single(received.Select(webhook => webhook.Id).Distinct());
        Assert.Equal(received[0].Body, received[2].Body);
        var firstWait = received[1].ArrivedAt - received[0].ArrivedAt;
        var secondWait = received[2].ArrivedAt - received[1].ArrivedAt;
        Assert.True(firstWait >= TimeSpan.FromMilliseconds(290), $"first wait {firstWait}");
        Assert.True(secondWait > firstWait, $"waits {firstWait} then {secondWait}");

        var delivery = Assert.Single((await WebhookTestApp.DeliveriesAsync(client)).EnumerateArray());
        Assert.Equal("job.canceled", delivery.GetProperty("event").GetString());
        Assert.Equal(id, delivery.GetProperty("jobId").GetGuid());
        Assert.Equal("delivered", delivery.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.String, delivery.GetProperty("deliveredAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, delivery.GetProperty("nextAttemptAt").ValueKind);
        var attempts = delivery.GetProperty("attempts").EnumerateArray().ToList();
        Assert.Equal([500, 500, 200], attempts.Select(a => a.GetProperty("statusCode").GetInt32()));
        Assert.Equal(["answered 500", "answered 500", null], attempts.Select(a => a.GetProperty("error").GetString()));
        Assert.All(attempts, a => Assert.True(a.GetProperty("latencyMs").GetInt32() >= 0));
        var at = attempts.Select(a => a.GetProperty("at").GetDateTime()).ToList();
        Assert.True(at[2] - at[1] > at[1] - at[0], string.Join(", ", at));
    }

    [Fact]
    public async Task Receiver_Answering410_StopsAfterOneAttempt_DisablesTheEndpoint_AndLaterJobsOweNothing()
    {
        await using var receiver = await SignedReceiver.StartAsync(_ => 410);
        var (_, client) = await _app.UserAsync(5m);
        receiver.Secret = await WebhookTestApp.RegisterEndpointAsync(client, receiver.Url);

        await WebhookTestApp.CanceledJobAsync(client);
        await WebhookTestApp.WaitUntilAsync(() => receiver.Received.Count > 0);
        await Task.Delay(1500);
        await WebhookTestApp.CanceledJobAsync(client);
        await Task.Delay(1000);

        Assert.Single(receiver.Received);
        var delivery = Assert.Single((await WebhookTestApp.DeliveriesAsync(client)).EnumerateArray());
        Assert.Equal("failed", delivery.GetProperty("status").GetString());
        Assert.Equal(410, Assert.Single(delivery.GetProperty("attempts").EnumerateArray()).GetProperty("statusCode").GetInt32());
        var endpoint = await (await client.GetAsync("/api/v1/webhook-endpoint")).JsonAsync();
        Assert.Equal(JsonValueKind.String, endpoint.GetProperty("disabledAt").ValueKind);
    }

    [Fact]
    public async Task DeliveryOwedWhileNoSenderRuns_ArrivesAfterARestart()
    {
        await using var receiver = await SignedReceiver.StartAsync();
        Guid id;
        HttpClient client;
        using (var stopped = new WebhookTestApp(_db.ConnectionString, new Dictionary<string, string?> { ["Webhooks:SenderEnabled"] = "false" }))
        {
            (_, client) = await stopped.UserAsync(5m);
            receiver.Secret = await WebhookTestApp.RegisterEndpointAsync(client, receiver.Url);
            id = await WebhookTestApp.SubmitRenderAsync(client);
            await WaitForFinalAsync(client, id);
            await Task.Delay(500);
            var owed = Assert.Single((await WebhookTestApp.DeliveriesAsync(client)).EnumerateArray());
            Assert.Equal("pending", owed.GetProperty("status").GetString());
            Assert.Empty(owed.GetProperty("attempts").EnumerateArray());
        }
        Assert.Empty(receiver.Received);

        using var restarted = new WebhookTestApp(_db.ConnectionString, new Dictionary<string, string?> { ["roles"] = "api" });
        restarted.App.StartServer();

        await WebhookTestApp.WaitUntilAsync(() => receiver.Received.Count > 0);
        var webhook = Assert.Single(receiver.Received);
        Assert.True(webhook.SignatureValid);
        Assert.Equal("job.completed", webhook.Json.GetProperty("type").GetString());
        Assert.Equal(id, webhook.Json.GetProperty("data").GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task JobOfAUserWithoutAnEndpoint_OwesNoDelivery()
    {
        var (_, client) = await _app.UserAsync(5m);

        await WebhookTestApp.CanceledJobAsync(client);

        Assert.Empty((await WebhookTestApp.DeliveriesAsync(client)).EnumerateArray());
    }

    [Fact]
    public async Task Deliveries_ListOnlyTheCallersOwn()
    {
        await using var receiver = await SignedReceiver.StartAsync();
        var (_, owner) = await _app.UserAsync(5m);
        var (_, other) = await _app.UserAsync(5m);
        receiver.Secret = await WebhookTestApp.RegisterEndpointAsync(owner, receiver.Url);
        await WebhookTestApp.RegisterEndpointAsync(other, receiver.Url);

        await WebhookTestApp.CanceledJobAsync(owner);

        Assert.Single((await WebhookTestApp.DeliveriesAsync(owner)).EnumerateArray());
        Assert.Empty((await WebhookTestApp.DeliveriesAsync(other)).EnumerateArray());
    }

    private static async Task WaitForFinalAsync(HttpClient client, Guid id)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string? status;
        do
        {
            await Task.Delay(100);
            status = (await client.GetFromJsonAsync<JsonElement>($"/api/v1/job/{id}")).GetProperty("status").GetString();
        }
        while (status is not ("done" or "failed" or "canceled") && clock.Elapsed < TimeSpan.FromSeconds(60));
        Assert.Equal("done", status);
    }
}
