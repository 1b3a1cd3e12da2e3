using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reelgate.Fetch;

namespace Reelgate.Tests.Fetch;

public sealed class AssetCacheTests : IDisposable
{
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 0x4A, 0x46, 0x49, 0x46, 9, 8, 7];

    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("reelgate-cache-");

    public void Dispose() => directory.Delete(recursive: true);

    private Dictionary<string, string?> Settings() => new()
    {
        ["Fetch:AllowPrivateNetworks"] = "true",
        ["Fetch:CacheDirectory"] = directory.FullName,
    };

    [Fact]
    public async Task DownloadCachedAsync_SameUrlTwice_FetchesFromServerOnce()
    {
        await using var server = await TestHttpServer.StartAsync(app => app.MapGet("/a.jpg", () => Results.Bytes(Jpeg, "image/jpeg")));
        using var services = TestFetchers.Services(Settings());

        var first = await TestFetchers.Create(services).DownloadCachedAsync(server.Url("/a.jpg"));
        var second = await TestFetchers.Create(services).DownloadCachedAsync(server.Url("/a.jpg"));

        Assert.Equal(1, server.RequestCount);
        Assert.Equal(first, second);
        Assert.Equal(new FetchedFile(first.Path, Jpeg.Length, "image/jpeg", ContentKind.Jpeg), second);
        Assert.Equal(Jpeg, await File.ReadAllBytesAsync(second.Path));
    }

    [Fact]
    public async Task DownloadCachedAsync_ConcurrentRequestsForSameUrl_ShareOneDownload()
    {
        await using var server = await TestHttpServer.StartAsync(app => app.MapGet("/slow.jpg", async () =>
        {
            await Task.Delay(300);
            return Results.Bytes(Jpeg, "image/jpeg");
        }));
        using var services = TestFetchers.Services(Settings());

        var files = await Task.WhenAll(Enumerable.Range(0, 8)
            .Select(_ => TestFetchers.Create(services).DownloadCachedAsync(server.Url("/slow.jpg"))));

        Assert.Equal(1, server.RequestCount);
        Assert.All(files, file => Assert.Equal(files[0].Path, file.Path));
    }

    [Fact]
    public async Task DownloadCachedAsync_DifferentUrls_AreCachedSeparately()
    {
        await using var server = await TestHttpServer.StartAsync(app => app.MapGet("/{name}", (string name) => Results.Bytes(Jpeg, "image/jpeg")));
        using var services = TestFetchers.Services(Settings());

        var first = await TestFetchers.Create(services).DownloadCachedAsync(server.Url("/one.jpg"));
        var second = await TestFetchers.Create(services).DownloadCachedAsync(server.Url("/two.jpg"));

        Assert.NotEqual(first.Path, second.Path);
        Assert.Equal(2, server.RequestCount);
    }

    [Fact]
    public async Task DownloadCachedAsync_FailedDownload_IsNotCached()
    {
        var attempts = 0;
        await using var server = await TestHttpServer.StartAsync(app => app.MapGet("/flaky.jpg", () =>
            Interlocked.Increment(ref attempts) == 1 ? Results.StatusCode(503) : Results.Bytes(Jpeg, "image/jpeg")));
        using var services = TestFetchers.Services(Settings());

        var failure = await Assert.ThrowsAsync<FetchException>(() => TestFetchers.Create(services).DownloadCachedAsync(server.Url("/flaky.jpg")));
        var file = await TestFetchers.Create(services).DownloadCachedAsync(server.Url("/flaky.jpg"));

        Assert.Equal(503, failure.StatusCode);
        Assert.Equal(ContentKind.Jpeg, file.Kind);
    }

    [Fact]
    public async Task DownloadCachedAsync_CachedFileOverCallersLimit_FailsWithTooLarge()
    {
        await using var server = await TestHttpServer.StartAsync(app => app.MapGet("/a.jpg", () => Results.Bytes(Jpeg, "image/jpeg")));
        using var services = TestFetchers.Services(Settings());
        await TestFetchers.Create(services).DownloadCachedAsync(server.Url("/a.jpg"));

        var failure = await Assert.ThrowsAsync<FetchException>(() => TestFetchers.Create(services)
            .DownloadCachedAsync(server.Url("/a.jpg"), new FetchRequest { MaxBytes = 4 }));

        Assert.Equal(FetchErrorCodes.TooLarge, failure.Code);
    }
}
