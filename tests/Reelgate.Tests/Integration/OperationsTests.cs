using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Integration;

public sealed class OperationsTests : IClassFixture<TestDatabase>, IDisposable
{
    private readonly ReelgateFactory _app;

    public OperationsTests(TestDatabase db) => _app = new ReelgateFactory(db.ConnectionString);

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Health_ReportsEachCheckAndVersion()
    {
        using var client = _app.CreateApiClient();
        var response = await client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("ok", body.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("version").GetString()));
        foreach (var check in new[] { "database", "storage", "ffmpeg" })
        {
            Assert.Equal("ok", body.GetProperty("checks").GetProperty(check).GetString());
        }
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task Health_WithDatabaseDown_Returns503NamingTheDatabase()
    {
        using var broken = new ReelgateFactory("Host=127.0.0.1;Port=1;Username=x;Password=y;Database=z;Timeout=2",
            new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "None", ["Database:RequiredAtStart"] = "false" });
        using var client = broken.CreateApiClient();
        var response = await client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("down", body.GetProperty("checks").GetProperty("database").GetString());
        Assert.Equal("ok", body.GetProperty("checks").GetProperty("ffmpeg").GetString());
    }

    [Fact]
    public async Task Health_WithADatabaseThatNeverAnswers_ReportsItDownWithinTheBound()
    {
        // Accepts connections and never answers, as a hung server does: connecting alone would wait the full 30 s timeout.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        // Shutdown work would wait on the hung server as well; the test does not need to.
        using var hanging = new ReelgateFactory($"Host=127.0.0.1;Port={port};Username=x;Password=y;Database=z;Timeout=30",
            new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "None", ["shutdownTimeoutSeconds"] = "1", ["Database:RequiredAtStart"] = "false" });
        using var client = hanging.CreateApiClient();

        var clock = Stopwatch.StartNew();
        var response = await client.GetAsync("/health");

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"/health took {clock.Elapsed}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("down", (await response.JsonAsync()).GetProperty("checks").GetProperty("database").GetString());
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheApi_AndDocsPageLoads()
    {
        using var client = _app.CreateApiClient();
        var doc = await (await client.GetAsync("/openapi/v1.json")).JsonAsync();
        Assert.True(doc.GetProperty("paths").TryGetProperty("/api/v1/keys", out _));
        Assert.True(doc.GetProperty("paths").TryGetProperty("/api/v1/credits/ledger", out _));
        var docs = await client.GetAsync("/docs/index.html");
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
    }

    [Fact]
    public async Task EveryResponse_CarriesARequestId_AndProblemsEchoIt()
    {
        using var client = _app.CreateApiClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me") { Headers = { { "X-Request-Id", "req-123" } } };
        var response = await client.SendAsync(request);
        Assert.Equal("req-123", response.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal("req-123", (await response.JsonAsync()).GetProperty("requestId").GetString());
    }
}
