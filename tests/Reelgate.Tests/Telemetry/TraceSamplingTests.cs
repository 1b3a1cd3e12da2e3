using System.Net;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Telemetry;

/// <summary>What is traced: every job step whatever the request ratio, requests at that ratio, health probes never.</summary>
[Collection(OpenTelemetryCollection.Name)]
public sealed class TraceSamplingTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Render_WithNoRequestSampled_StillExportsEveryJobStep_AndItsSubmitStartsATraceOfItsOwn()
    {
        await using var collector = await FakeOtlpCollector.StartAsync();
        using var app = new ReelgateFactory(db.ConnectionString, TelemetryExportTests.CollectorSettings(collector, requestSampleRatio: 0));
        var client = await TelemetryExportTests.ClientWithCreditsAsync(app);

        var jobId = await TelemetryExportTests.SubmitAsync(client);

        var spans = await TelemetryExportTests.JobSpansAsync(collector, jobId);
        var submit = spans.First(s => s.Name == "job.submit");
        Assert.Equal("", submit.ParentSpanId);
        Assert.Contains(collector.Spans, s => s.Scope == "Npgsql" && s.TraceId == submit.TraceId && s.ParentSpanId == submit.SpanId);
        Assert.DoesNotContain(collector.Spans, s => s.Scope == "Microsoft.AspNetCore");
    }

    [Fact]
    public async Task HealthProbes_AreNotTraced_WhenEveryRequestIs()
    {
        await using var collector = await FakeOtlpCollector.StartAsync();
        using var app = new ReelgateFactory(db.ConnectionString, TelemetryExportTests.CollectorSettings(collector, requestSampleRatio: 1));
        var client = await TelemetryExportTests.ClientWithCreditsAsync(app);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me")).StatusCode);

        await TelemetryExportTests.EventuallyAsync(
            () => collector.Spans.FirstOrDefault(s => s.Attributes.GetValueOrDefault("url.path") == "/api/v1/me"), () => "the span of GET /api/v1/me");
        Assert.DoesNotContain(collector.Spans, s => s.Attributes.GetValueOrDefault("url.path")?.StartsWith("/health", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task ACallersSampledTraceparent_IsContinuedByItsRequestAndJobSpans_WhenNoRequestIsSampledOtherwise()
    {
        await using var collector = await FakeOtlpCollector.StartAsync();
        using var app = new ReelgateFactory(db.ConnectionString, TelemetryExportTests.CollectorSettings(collector, requestSampleRatio: 0));
        var client = await TelemetryExportTests.ClientWithCreditsAsync(app);
        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736", callerSpan = "00f067aa0ba902b7";

        var jobId = await TelemetryExportTests.SubmitAsync(client, $"00-{traceId}-{callerSpan}-01");

        var spans = await TelemetryExportTests.JobSpansAsync(collector, jobId);
        var submit = spans.First(s => s.Name == "job.submit");
        Assert.Equal(traceId, submit.TraceId);
        var server = Assert.Single(collector.Spans, s => s.SpanId == submit.ParentSpanId);
        Assert.Equal("Microsoft.AspNetCore", server.Scope);
        Assert.Equal(callerSpan, server.ParentSpanId);
    }
}
