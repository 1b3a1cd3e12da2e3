using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Reelgate.Tests.Fetch;

/// <summary>A real Kestrel listener on a loopback address that counts the requests it receives.</summary>
internal sealed class TestHttpServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private int requestCount;

    private TestHttpServer(WebApplication app) => this.app = app;

    public int RequestCount => Volatile.Read(ref requestCount);

    public Uri BaseAddress { get; private set; } = null!;

    public Uri Url(string path) => new(BaseAddress, path);

    public static async Task<TestHttpServer> StartAsync(Action<WebApplication> map, string host = "127.0.0.1")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://{host}:0");
        builder.Logging.ClearProviders();
        var server = new TestHttpServer(builder.Build());
        server.app.Use(async (context, next) =>
        {
            Interlocked.Increment(ref server.requestCount);
            await next(context);
        });
        map(server.app);
        await server.app.StartAsync();
        server.BaseAddress = new Uri(server.app.Urls.Single());
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
