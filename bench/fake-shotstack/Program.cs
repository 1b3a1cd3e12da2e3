using System.Diagnostics;
using System.Globalization;

namespace Reelgate.Bench.FakeShotstack;

/// <summary>
/// Shotstack's Edit API as far as a forwarded render needs it: POST /edit/v1/render answers 201 with an id, and
/// GET /edit/v1/render/{id} answers "rendering" until the render's time is up, then "done" with the URL of a small mp4
/// this process serves. When a render is done, Shotstack's callback is POSTed to the Edit's `callback` URL (unless
/// turned off). With no render time, renders never finish and no callback is sent. Each POST's arrival is recorded on
/// the monotonic clock shared by every process on the machine, under the text of the Edit's first title (the bench's
/// marker); GET /bench/arrivals hands the records over, GET /bench/stats the counters and the peak of renders in flight,
/// and POST /bench/fail?prefix=P fails the renders in flight whose marker starts with P.
/// Usage: fake-shotstack --urls http://127.0.0.1:PORT [--render-seconds S --output FILE.mp4] [--callbacks on|off]
///        (env FAKE_SHOTSTACK_KEY: the x-api-key it accepts)
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
        var settings = Settings.From(builder.Configuration);
        builder.Services.AddHttpClient(Callbacks.ClientName, c => c.Timeout = TimeSpan.FromSeconds(30))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 64 });
        var app = builder.Build();
        var callbacks = new Callbacks(app.Services.GetRequiredService<IHttpClientFactory>(), app.Logger);
        var renders = new Renders(settings, callbacks);

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
        app.MapGet("/bench/output/{id}.mp4", renders.Output);
        app.MapGet("/bench/arrivals", renders.Arrivals);
        app.MapGet("/bench/stats", renders.Stats);
        app.MapGet("/bench/renders", renders.List);
        app.MapPost("/bench/stats/reset", renders.ResetPeak);
        app.MapPost("/bench/fail", (string prefix) => renders.Fail(prefix));
        app.Run();
    }
}

/// <summary>How long a render takes (zero: forever), the file a done render points to, and whether callbacks are sent.</summary>
internal sealed record Settings(TimeSpan RenderTime, string? OutputFile, bool SendCallbacks)
{
    public static Settings From(IConfiguration configuration)
    {
        var seconds = configuration["render-seconds"] is { Length: > 0 } s ? double.Parse(s, CultureInfo.InvariantCulture) : 0;
        var output = configuration["output"] is { Length: > 0 } o ? Path.GetFullPath(o) : null;
        if (seconds < 0) throw new InvalidOperationException("--render-seconds must not be negative");
        if (seconds > 0 && (output is null || !File.Exists(output))) throw new InvalidOperationException("--render-seconds needs --output, an existing mp4 file");
        var callbacks = configuration["callbacks"] ?? "on";
        if (callbacks is not ("on" or "off")) throw new InvalidOperationException("--callbacks must be on or off");
        return new Settings(TimeSpan.FromSeconds(seconds), output, callbacks == "on");
    }
}
