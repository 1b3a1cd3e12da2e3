using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Reelgate.Credits;
using Reelgate.Tests.Fetch;
using Reelgate.Tests.Providers;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Telemetry;

/// <summary>OTLP export to a collector on loopback: one render's trace with its job steps, and the reelgate.* metrics.</summary>
[Collection(OpenTelemetryCollection.Name)]
public sealed class TelemetryExportTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    private const string TitleEdit = """
        {"timeline": {"tracks": [{"clips": [{"asset": {"type": "title", "text": "Traced", "style": "minimal"}, "start": 0, "length": 1}]}]},
         "output": {"format": "mp4", "size": {"width": 160, "height": 90}, "fps": 12}}
        """;

    internal static async Task<T> EventuallyAsync<T>(Func<T?> probe, Func<string> what) where T : class
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(120))
        {
            if (probe() is { } found) return found;
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"The collector never received {what()}.");
    }

    /// <summary>Export to <paramref name="collector"/> at once, with one quick worker; requests traced at the given ratio.</summary>
    internal static Dictionary<string, string?> CollectorSettings(FakeOtlpCollector collector, double requestSampleRatio) => new()
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.BaseAddress.ToString().TrimEnd('/'),
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "300",
        // A loaded machine can take longer than the default 10 s to send and answer one export.
        ["OTEL_EXPORTER_OTLP_TIMEOUT"] = "60000",
        ["OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE"] = "delta",
        ["Telemetry:QueueSampleInterval"] = "00:00:00.200",
        ["Telemetry:TraceSampleRatio"] = requestSampleRatio.ToString(System.Globalization.CultureInfo.InvariantCulture),
        // The per-second cap has its own tests; a test's burst of setup requests stays whole here.
        ["Telemetry:MaxTracedRequestsPerSecond"] = "100000",
        ["Jobs:WorkerConcurrency"] = "1",
        ["Jobs:PollInterval"] = "00:00:00.500",
        ["Rendering:Preset"] = "ultrafast",
    };

    internal static async Task<HttpClient> ClientWithCreditsAsync(ReelgateFactory app)
    {
        var user = await Api.RegisterAsync(app);
        await app.Services.GetRequiredService<CreditAdjustments>().AdjustAsync(user.Id, 10, "test", null, LedgerKinds.Grant, null);
        return app.CreateApiClient(await Api.CreateKeyAsync(user.Session));
    }

    /// <summary>Submits the title render, with the caller's <paramref name="traceparent"/> when one is given.</summary>
    internal static async Task<string> SubmitAsync(HttpClient client, string? traceparent = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/render") { Content = Api.Json(TitleEdit) };
        if (traceparent is not null) request.Headers.Add("traceparent", traceparent);
        var submitted = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        return (await submitted.JsonAsync()).GetProperty("id").GetString()!;
    }

    /// <summary>The spans of every step of a finished render, once all have arrived.</summary>
    internal static Task<List<ReceivedSpan>> JobSpansAsync(FakeOtlpCollector collector, string jobId)
    {
        string[] steps = ["job.submit", "job.claim", "job.fetch", "job.render", "job.save", "job.settle"];
        return EventuallyAsync(() =>
        {
            var ofJob = collector.Spans.Where(s => s.Attributes.GetValueOrDefault("reelgate.job.id") == jobId).ToList();
            return steps.All(step => ofJob.Any(s => s.Name == step)) ? ofJob : null;
        }, () => "every step of the job");
    }

    [Fact]
    public async Task Render_WithAnOtlpEndpoint_ExportsItsRequestAndJobStepSpans_AndTheReelgateMetrics()
    {
        await using var collector = await FakeOtlpCollector.StartAsync();
        using var app = new ReelgateFactory(db.ConnectionString, CollectorSettings(collector, requestSampleRatio: 1));
        var client = await ClientWithCreditsAsync(app);

        var jobId = await SubmitAsync(client);

        var spans = await JobSpansAsync(collector, jobId);
        Assert.All(spans, s => Assert.Equal("Reelgate", s.Scope));
        Assert.All(spans, s => Assert.Equal("reelgate", s.Service));
        Assert.Equal("render", spans.First(s => s.Name == "job.render").Attributes["job.kind"]);

        var submit = spans.First(s => s.Name == "job.submit");
        var request = Assert.Single(collector.Spans, s => s.SpanId == submit.ParentSpanId);
        Assert.Equal("Microsoft.AspNetCore", request.Scope);
        Assert.Equal(submit.TraceId, request.TraceId);
        Assert.Contains(collector.Spans, s => s.Scope == "Npgsql" && s.TraceId == submit.TraceId);

        string[] metrics =
        [
            "reelgate.jobs.finished", "reelgate.job.phase.duration", "reelgate.credits.held", "reelgate.credits.captured",
            "reelgate.credits.released", "reelgate.jobs.queued", "reelgate.jobs.queued.oldest_age", "http.server.request.duration",
        ];
        await EventuallyAsync(() => metrics.All(collector.Metrics.ContainsKey) ? collector.Metrics : null,
            () => $"the metrics {string.Join(", ", metrics.Where(m => !collector.Metrics.ContainsKey(m)))} "
            + $"(it had {string.Join(", ", collector.Metrics.Keys.Order())}; errors: {string.Join("; ", collector.Errors)})");
    }

    [Fact]
    public async Task Render_WhoseAssetIsMissing_EndsItsFetchSpanWithAnErrorStatusNamingTheFailure()
    {
        await using var collector = await FakeOtlpCollector.StartAsync();
        using var app = new ReelgateFactory(db.ConnectionString, CollectorSettings(collector, requestSampleRatio: 0));
        var client = await ClientWithCreditsAsync(app);
        var missing = new Uri(collector.BaseAddress, "/missing.mp4");
        var edit = $$"""
            {"timeline": {"tracks": [{"clips": [{"asset": {"type": "video", "src": "{{missing}}"}, "start": 0, "length": 1} ] } ] },
             "output": {"format": "mp4", "size": {"width": 160, "height": 90} } }
            """;

        var submitted = await client.PostAsync("/api/v1/render", Api.Json(edit));
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        var jobId = (await submitted.JsonAsync()).GetProperty("id").GetString()!;

        var fetch = await EventuallyAsync(() => collector.Spans.FirstOrDefault(s => s.Name == "job.fetch"
            && s.Attributes.GetValueOrDefault("reelgate.job.id") == jobId), () => "the job's fetch span");
        Assert.Equal(SpanStatus.Error, fetch.Status.Code);
        Assert.Equal("asset-fetch-failed", fetch.Attributes["error.type"]);
        Assert.Contains("404", fetch.Status.Message);
        var submit = await EventuallyAsync(() => collector.Spans.FirstOrDefault(s => s.Name == "job.submit"
            && s.Attributes.GetValueOrDefault("reelgate.job.id") == jobId), () => "the job's submit span");
        Assert.NotEqual(SpanStatus.Error, submit.Status.Code);
        Assert.DoesNotContain(collector.Spans, s => s.Name == "job.render" && s.Attributes.GetValueOrDefault("reelgate.job.id") == jobId);
    }

    [Fact]
    public async Task LocalGeneration_ExportsItsFetchRenderAndSaveSpans()
    {
        await using var collector = await FakeOtlpCollector.StartAsync();
        var png = await TestMedia.ImageAsync();
        await using var images = await TestHttpServer.StartAsync(server => server.MapGet("/photo.png", () => Results.File(png, "image/png")));
        var settings = CollectorSettings(collector, requestSampleRatio: 0);
        settings["Generation:LocalShortSide"] = "90";
        settings["Generation:LocalFps"] = "12";
        using var app = new ReelgateFactory(db.ConnectionString, settings);
        var client = await ClientWithCreditsAsync(app);

        var submitted = await client.PostAsync("/api/v1/generate",
            JsonContent.Create(new { imageUrl = images.Url("/photo.png"), prompt = "slow push in", durationSec = 5, provider = "local" }));
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        var jobId = (await submitted.JsonAsync()).GetProperty("id").GetString()!;

        string[] steps = ["job.submit", "job.claim", "job.fetch", "job.render", "job.save", "job.settle"];
        var spans = await EventuallyAsync(() =>
        {
            var ofJob = collector.Spans.Where(s => s.Attributes.GetValueOrDefault("reelgate.job.id") == jobId).ToList();
            return steps.All(step => ofJob.Any(s => s.Name == step)) ? ofJob : null;
        }, () => $"every step of the generation (it had {string.Join(", ", collector.Spans.Select(s => s.Name).Distinct())})");
        Assert.All(spans.Where(s => s.Name is "job.fetch" or "job.render" or "job.save"), s => Assert.Equal("generation", s.Attributes["job.kind"]));
        Assert.All(spans, s => Assert.NotEqual(SpanStatus.Error, s.Status.Code));
    }

    [Fact]
    public async Task WithoutAnOtlpEndpoint_NothingIsCollected()
    {
        using var app = new ReelgateFactory(db.ConnectionString, new Dictionary<string, string?> { ["roles"] = "api" });
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().GetAsync("/health/live")).StatusCode);

        Assert.Null(app.Services.GetService<TracerProvider>());
        Assert.Null(app.Services.GetService<MeterProvider>());
    }
}
