using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Reelgate.Tests.Telemetry;

/// <summary>A span as the collector received it: trace, ids, name, instrumentation scope, string attributes and status.</summary>
internal sealed record ReceivedSpan(string TraceId, string SpanId, string ParentSpanId, string Name, string Scope, string? Service,
    IReadOnlyDictionary<string, string> Attributes, SpanStatus Status);

/// <summary>A span's Status: code 0 unset, 1 ok, 2 error, with the error's description.</summary>
internal sealed record SpanStatus(int Code, string Message)
{
    public const int Error = 2;
}

/// <summary>
/// An OTLP/HTTP collector on 127.0.0.1 (protobuf bodies at /v1/traces, /v1/metrics and /v1/logs, answered 200 with
/// an empty export response, as the OpenTelemetry Collector does), keeping the spans and metric names it receives.
/// </summary>
internal sealed class FakeOtlpCollector : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeOtlpCollector(WebApplication app) => _app = app;

    public ConcurrentQueue<ReceivedSpan> Spans { get; } = new();
    public ConcurrentDictionary<string, string> Metrics { get; } = new();
    public ConcurrentQueue<string> Errors { get; } = new();
    public int LogRequests;
    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<FakeOtlpCollector> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var collector = new FakeOtlpCollector(builder.Build());
        collector._app.MapPost("/v1/traces", context => collector.ReceiveAsync(context, collector.ReadTraces));
        collector._app.MapPost("/v1/metrics", context => collector.ReceiveAsync(context, collector.ReadMetrics));
        collector._app.MapPost("/v1/logs", context => collector.ReceiveAsync(context, _ => Interlocked.Increment(ref collector.LogRequests)));
        await collector._app.StartAsync();
        collector.BaseAddress = new Uri(collector._app.Urls.Single());
        return collector;
    }

    private async Task ReceiveAsync(HttpContext context, Action<ReadOnlyMemory<byte>> read)
    {
        if (context.Request.ContentType != "application/x-protobuf")
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        try
        {
            read(body.ToArray());
        }
        catch (Exception ex) when (ex is FormatException or ArgumentOutOfRangeException or InvalidOperationException)
        {
            // Kept for the test's failure message; the sender is told, as a collector tells it about a bad payload.
            Errors.Enqueue($"{context.Request.Path}: {ex.Message}");
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        context.Response.ContentType = "application/x-protobuf";
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    // ExportTraceServiceRequest: resource_spans(1) { resource(1) { attributes(1) }, scope_spans(2) { scope(1) { name(1) }, spans(2) } }.
    private void ReadTraces(ReadOnlyMemory<byte> request)
    {
        foreach (var resourceSpans in Protobuf.All(request, 1))
        {
            var service = Protobuf.All(resourceSpans, 1).SelectMany(r => Attributes(r, 1)).FirstOrDefault(a => a.Key == "service.name").Value;
            foreach (var scopeSpans in Protobuf.All(resourceSpans, 2))
            {
                var scope = Protobuf.All(scopeSpans, 1).Select(s => Protobuf.Read(s).FirstOrDefault(f => f.Number == 1).Text).FirstOrDefault() ?? "";
                foreach (var span in Protobuf.All(scopeSpans, 2))
                {
                    var fields = Protobuf.Read(span);
                    string Hex(int number) => Convert.ToHexStringLower(fields.FirstOrDefault(f => f.Number == number).Bytes.Span);
                    Spans.Enqueue(new ReceivedSpan(Hex(1), Hex(2), Hex(4), fields.First(f => f.Number == 5).Text, scope, service,
                        Attributes(span, 9).ToDictionary(a => a.Key, a => a.Value), Status(span)));
                }
            }
        }
    }

    // Span.status(15) Status { message(2), code(3) }; absent means unset.
    private static SpanStatus Status(ReadOnlyMemory<byte> span)
    {
        var status = Protobuf.Read(span).Where(f => f.Number == 15).Select(f => Protobuf.Read(f.Bytes)).FirstOrDefault() ?? [];
        return new SpanStatus((int)status.FirstOrDefault(f => f.Number == 3).Value, status.FirstOrDefault(f => f.Number == 2).Text);
    }

    // ExportMetricsServiceRequest: resource_metrics(1) { scope_metrics(2) { scope(1), metrics(2) { name(1) } } }.
    private void ReadMetrics(ReadOnlyMemory<byte> request)
    {
        foreach (var metric in Protobuf.All(request, 1).SelectMany(r => Protobuf.All(r, 2)).SelectMany(s => Protobuf.All(s, 2)))
        {
            var name = Protobuf.Read(metric).First(f => f.Number == 1).Text;
            Metrics[name] = name;
        }
    }

    // KeyValue: key(1), value(2) AnyValue { string_value(1) }; other value kinds are left out.
    private static IEnumerable<KeyValuePair<string, string>> Attributes(ReadOnlyMemory<byte> message, int number) =>
        from attribute in Protobuf.All(message, number)
        let fields = Protobuf.Read(attribute)
        let value = fields.Where(f => f.Number == 2).Select(f => Protobuf.Read(f.Bytes).FirstOrDefault(v => v.Number == 1)).FirstOrDefault()
        where value.Number == 1
        select new KeyValuePair<string, string>(fields.First(f => f.Number == 1).Text, value.Text);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
