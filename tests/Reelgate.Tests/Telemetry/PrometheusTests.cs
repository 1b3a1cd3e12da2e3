using System.Net;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Telemetry;

/// <summary>/metrics in Prometheus's text format: for admins on the API's port, or for anyone on a port of its own.</summary>
[Collection(OpenTelemetryCollection.Name)]
public sealed class PrometheusTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Metrics_WithPrometheusOn_AnswerAnAdminInPrometheusText_AndNobodyElse()
    {
        using var app = new ReelgateFactory(db.ConnectionString, new Dictionary<string, string?>
        {
            ["Telemetry:Prometheus"] = "true",
            ["Telemetry:QueueSampleInterval"] = "00:00:00.100",
        });
        var user = await Api.RegisterAsync(app);
        using var admin = await Api.AdminSessionAsync(app);

        var anonymous = await app.CreateApiClient().GetAsync("/metrics");
        var notAdmin = await user.Session.GetAsync("/metrics");
        var scrape = await admin.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, notAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        Assert.Equal("text/plain", scrape.Content.Headers.ContentType?.MediaType);
        var text = await scrape.Content.ReadAsStringAsync();
        Assert.Contains("# TYPE reelgate_jobs_queued gauge", text);
        Assert.Contains("# TYPE http_server_request_duration_seconds histogram", text);
    }

    [Fact]
    public async Task Metrics_WithPrometheusOff_AreNotServed()
    {
        using var app = new ReelgateFactory(db.ConnectionString);
        using var admin = await Api.AdminSessionAsync(app);

        var response = await admin.GetAsync("/metrics");

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("# TYPE", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Metrics_OnAPortOfTheirOwn_AnswerAScraperThere_AndThatPortServesNothingElse()
    {
        var metricsPort = ReelgateProcess.FreePort();
        await using var process = await ReelgateProcess.StartAsync(db.ConnectionString, new Dictionary<string, string>
        {
            ["Telemetry__Prometheus"] = "true",
            ["Telemetry__PrometheusPort"] = metricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        using var http = new HttpClient();
        var metricsBase = $"http://127.0.0.1:{metricsPort}";

        var scrape = await http.GetAsync($"{metricsBase}/metrics");
        var onApiPort = await http.GetAsync($"{process.BaseUrl}/metrics");
        var apiOnMetricsPort = await http.GetAsync($"{metricsBase}/api/v1/me");
        var healthOnMetricsPort = await http.GetAsync($"{metricsBase}/health");

        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        Assert.Contains("# TYPE reelgate_jobs_queued gauge", await scrape.Content.ReadAsStringAsync());
        Assert.DoesNotContain("# TYPE", await onApiPort.Content.ReadAsStringAsync());
        Assert.NotEqual(HttpStatusCode.OK, onApiPort.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, apiOnMetricsPort.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, healthOnMetricsPort.StatusCode);
    }
}
