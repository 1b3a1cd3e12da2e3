using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Reelgate.Bench.FakeShotstack;

/// <summary>
/// Shotstack's Edit API as far as a forwarded render needs it: POST /edit/v1/render answers 201 with an id, and
/// GET /edit/v1/render/{id} answers "rendering" for good, so no render finishes and no callback is sent. Each POST's
/// arrival is recorded on the monotonic clock shared by every process on the machine, under the text of the Edit's
/// first title (the bench's marker), and GET /bench/arrivals hands the records over.
/// Usage: fake-shotstack --urls http://127.0.0.1:PORT   (env FAKE_SHOTSTACK_KEY: the x-api-key it accepts)
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        var apiKey = Environment.GetEnvironmentVariable("FAKE_SHOTSTACK_KEY") is { Length: > 0 } key
            ? key
            : throw new InvalidOperationException("FAKE_SHOTSTACK_KEY is not set");
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var renders = new Renders();

        // Taken before routing and before the body is read: the moment the request reached the upstream.
        app.Use((context, next) =>
        {
            context.Items[Renders.ArrivalItem] = Stopwatch.GetTimestamp();
            return next(context);
        });

        var api = app.MapGroup("/edit/v1").AddEndpointFilter(async (context, next) =>
            context.HttpContext.Request.Headers["x-api-key"] == apiKey
                ? await next(context)
                : Results.Json(new { message = "Forbidden" }, statusCode: 403));
        api.MapPost("/render", (Delegate)renders.SubmitAsync);
        api.MapGet("/render/{id}", renders.Status);
        app.MapGet("/bench/arrivals", renders.Arrivals);
        app.Run();
    }
}

internal sealed class Renders
{
    public const string ArrivalItem = "arrival";
    private readonly ConcurrentDictionary<string, byte> _ids = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Arrival> _arrivals = new();
    private long _polls;

    public async Task<IResult> SubmitAsync(HttpContext context)
    {
        var arrived = (long)context.Items[ArrivalItem]!;
        var edit = await JsonNode.ParseAsync(context.Request.Body);
        if (edit?["timeline"] is null || edit["output"] is null)
        {
            return Results.Json(new { success = false, message = "Bad Request", response = new { error = "timeline and output are required" } }, statusCode: 400);
        }
        var marker = edit["timeline"]?["tracks"]?[0]?["clips"]?[0]?["asset"]?["text"]?.GetValue<string>() ?? "";
        _arrivals.Enqueue(new Arrival(marker, Microseconds(arrived)));
        var id = Guid.NewGuid().ToString();
        _ids[id] = 0;
        return Results.Json(new { success = true, message = "Created", response = new { message = "Render Successfully Queued", id } }, statusCode: 201);
    }

    public IResult Status(string id)
    {
        Interlocked.Increment(ref _polls);
        if (!_ids.ContainsKey(id)) return Results.Json(new { success = false, message = "Bad Request", response = new { } }, statusCode: 400);
        return Results.Json(new
        {
            success = true, message = "OK",
            response = new { id, owner = "bench", plan = "basic", status = "rendering", created = "2026-01-01T00:00:00.000Z", updated = "2026-01-01T00:00:01.000Z" },
        });
    }

    public IResult Arrivals() => Results.Json(new { polls = Interlocked.Read(ref _polls), arrivals = _arrivals.ToArray() });

    /// <summary>Stopwatch reads CLOCK_MONOTONIC on Linux, so these agree with the load generator's in another process.</summary>
    private static long Microseconds(long timestamp) => (long)(timestamp * (1_000_000.0 / Stopwatch.Frequency));

    private sealed record Arrival(string Marker, long AtMicroseconds);
}
