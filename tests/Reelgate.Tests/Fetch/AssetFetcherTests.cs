using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reelgate.Fetch;

namespace Reelgate.Tests.Fetch;

public sealed class AssetFetcherTests : IDisposable
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 1, 2, 3, 4];

    private static readonly Dictionary<string, string?> AllowPrivate = new() { ["Fetch:AllowPrivateNetworks"] = "true" };

    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("reelgate-fetch-");

    public void Dispose() => directory.Delete(recursive: true);

    private string Destination(string name = "asset.bin") => Path.Combine(directory.FullName, name);

    private static Dictionary<string, string?> Settings(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>(AllowPrivate);
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }
        return settings;
    }

    [Fact]
    public async Task DownloadAsync_LoopbackByDefault_IsRefusedAsBlockedAddressWithoutConnecting()
    {
        await using var server = await TestHttpServer.StartAsync(app => app.MapGet("/a.png", () => Results.Bytes(Png, "image/png")));
        using var services = TestFetchers.Services();

        var failure = await Assert.ThrowsAsync<FetchException>(() =>
            TestFetchers.Create(services).DownloadAsync(server.Url("/a.png"), Destination()));

        Assert.Equal(FetchErrorCodes.BlockedAddress, failure.Code);
        Assert.Contains(server.Url("/a.png").ToString(), failure.Message);
        Assert.Equal(0, server.RequestCount);
        Assert.False(File.Exists(Destination()));
    }

    [Fact]
    public async Task DownloadAsync_ConnectionDroppedMidBody_FailsAsUnreachableAndLeavesNoFile()
    {
        await using var server = await TestHttpServer.StartAsync(app => app.MapGet("/cut.png", async (HttpContext context) =>
        {
            context.Response.ContentLength = 100_000;
            await context.Response.Body.WriteAsync(Png);
            await context.Response.Body.FlushAsync();
            context.Abort();
        }));
        using var services = TestFetchers.Services(AllowPrivate);

        var failure = await Assert.ThrowsAsync<FetchException>(() =>
            TestFetchers.Create(services).DownloadAsync(server.Url("/cut.png"), Destination()));

        Assert.Equal(FetchErrorCodes.Unreachable, failure.Code);
        Assert.Empty(directory.GetFiles("*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task DownloadAsync_LoopbackWithPrivateNetworksAllowed_WritesExactBytesAndSniffsKind()
    {
        await using var server = await TestHttpServer.StartAsync(app => app.MapGet("/a.png", () => Results.Bytes(Png, "image/png")));
        using var services = TestFetchers.Services(AllowPrivate);

        var file = await TestFetchers.Create(services).DownloadAsync(server.Url("/a.png"), Destination("nested/a.png"));

        Assert.Equal(Png, await File.ReadAllBytesAsync(file.Path));
        Assert.Equal(new FetchedFile(Destination("nested/a.png"), Png.Length, "image/png", ContentKind.Png), file);
        Assert.Single(directory.GetFiles("*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task DownloadAsync_RedirectToBlockedAddress_IsRefusedBeforeConnectingToIt()
    {
        await using var blocked = await TestHttpServer.StartAsync(app => app.MapGet("/a.png", () => Results.Bytes(Png, "image/png")), "127.0.0.2");
        await using var allowed = await TestHttpServer.StartAsync(app => app.MapGet("/go", () => Results.Redirect(blocked.Url("/a.png").ToString())));
        using var services = TestFetchers.Services(policy: new SingleAddressPolicy(IPAddress.Parse("127.0.0.1")));

        var failure = await Assert.ThrowsAsync<FetchException>(() =>
            TestFetchers.Create(services).DownloadAsync(allowed.Url("/go"), Destination()));

        Assert.Equal(FetchErrorCodes.BlockedAddress, failure.Code);
        Assert.Contains("127.0.0.2", failure.Message);
        Assert.Equal(1, allowed.RequestCount);
        Assert.Equal(0, blocked.RequestCount);
    }

    [Fact]
    public async Task DownloadAsync_RedirectWithinAllowedAddresses_IsFollowed()
    {
        await using var server = await TestHttpServer.StartAsync(app =>
        {
            app.MapGet("/go", () => Results.Redirect("/a.png"));
            app.MapGet("/a.png", () => Results.Bytes(Png, "image/png"));
        });
        using var services = TestFetchers.Services(policy: new SingleAddressPolicy(IPAddress.Parse("127.0.0.1")));

        var file = await TestFetchers.Create(services).DownloadAsync(server.Url("/go"), Destination());

        Assert.Equal(ContentKind.Png, file.Kind);
        Assert.Equal(2, server.RequestCount);
    }

    [Fact]
    public async Task DownloadAsync_MoreRedirectsThanAllowed_FailsWithTooManyRedirects()
    {
        await using var server = await TestHttpServer.StartAsync(app =>
            app.MapGet("/loop/{n:int}", (int n) => Results.Redirect($"/loop/{n + 1}")));
        using var services = TestFetchers.Services(Settings(("Fetch:MaxRedirects", "3")));

        var failure = await Assert.ThrowsAsync<FetchException>(() =>
            TestFetchers.Create(services).DownloadAsync(server.Url("/loop/0"), Destination()));

        Assert.Equal(FetchErrorCodes.TooManyRedirects, failure.Code);
        Assert.Equal(4, server.RequestCount);
    }

    [Fact]
    public async Task DownloadAsync_RedirectToNonHttpScheme_FailsWithBadScheme()
    {
        await using var server = await TestHttpServer.StartAsync(app => app.MapGet("/go", () => Results.Redirect("file:///etc/passwd")));
        using var services = TestFetchers.Services(AllowPrivate);

        var failure = await Assert.ThrowsAsync<FetchException>(() =>
            TestFetchers.Create(services).DownloadAsync(server.Url("/go"), Destination()));

        Assert.Equal(FetchErrorCodes.BadScheme, failure.Code);
    }

    [Theory]
    [InlineData("ftp://example.com/a.png")]
    [InlineData("file:///etc/passwd")]
    public async Task DownloadAsync_NonHttpScheme_FailsWithBadScheme(string url)
    {
        using var services = TestFetchers.Services(AllowPrivate);

        var failure = await Assert.ThrowsAsync<FetchException>(() =>
            TestFetchers.Create(services).DownloadAsync(new Uri(url), Destination()));

        Assert.Equal(FetchErrorCodes.BadScheme, failure.Code);
    }

    [Fact]
    public async Task DownloadAsync_ContentLengthOverLimit_FailsWithTooLargeAndLeavesNoFile()
    {
        await using var server = await TestHttpServer.StartAsync(app => app.MapGet("/big", () => Results.Bytes(new byte[5000], "video/mp4")));
        using var services = TestFetchers.Services(Settings(("Fetch:MaxBytes", "1000")));

        var failure = await Assert.ThrowsAsync<FetchException>(() =>
            TestFetchers.Create(services).DownloadAsync(server.Url("/big"), Destination()));

        Assert.Equal(FetchErrorCodes.TooLarge, failure.Code);
        Assert.Empty(directory.GetFileSystemInfos());
    }

    [Fact]
    public async Task DownloadAsync_ChunkedBodyOverLimit_FailsWithTooLargeAndDeletesPartialFile()
    {
        await using var server = await TestHttpServer.StartAsync(app => app.MapGet("/stream", async (HttpContext context) =>
        {
            for (var chunk = 0; chunk < 20; chunk++)
            {
                await context.Response.Body.WriteAsync(new byte[1000]);
                await context.Response.Body.FlushAsync();
            }
        }));
        using var services = TestFetchers.Services(AllowPrivate);

        var failure = await Assert.ThrowsAsync<FetchException>(() =>
            TestFetchers.Create(services).DownloadAsync(server.Url("/stream"), Destination(), new FetchRequest { MaxBytes = 2500 }));

        Assert.Equal(FetchErrorCodes.TooLarge, failure.Code);
        Assert.Empty(directory.GetFileSystemInfos());
    }

    [Fact]
    public async Task DownloadAsync_ServerSlowerThanTimeout_FailsWithTimeout()
    {
        await using var server = await TestHttpServer.StartAsync(app => app.MapGet("/slow", async (HttpContext context) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
            return Results.Bytes(Png, "image/png");
        }));
        using var services = TestFetchers.Services(AllowPrivate);

        var failure = await Assert.ThrowsAsync<FetchException>(() =>
            TestFetchers.Create(services).DownloadAsync(server.Url("/slow"), Destination(), new FetchRequest { Timeout = TimeSpan.FromMilliseconds(300) }));

        Assert.Equal(FetchErrorCodes.Timeout, failure.Code);
        Assert.Empty(directory.GetFileSystemInfos());
    }

    [Fact]
    public async Task DownloadAsync_NotFound_FailsWithHttpStatusCarryingTheStatus()
    {
        await using var server = await TestHttpServer.StartAsync(_ => { });
        using var services = TestFetchers.Services(AllowPrivate);

        var failure = await Assert.ThrowsAsync<FetchException>(() =>
            TestFetchers.Create(services).DownloadAsync(server.Url("/missing.png"), Destination()));

        Assert.Equal(FetchErrorCodes.HttpStatus, failure.Code);
        Assert.Equal(404, failure.StatusCode);
        Assert.Contains("/missing.png", failure.Message);
    }

    [Fact]
    public async Task DownloadAsync_NothingListening_FailsWithUnreachable()
    {
        Uri url;
        await using (var server = await TestHttpServer.StartAsync(_ => { }))
        {
            url = server.Url("/gone.png");
        }
        using var services = TestFetchers.Services(AllowPrivate);

        var failure = await Assert.ThrowsAsync<FetchException>(() => TestFetchers.Create(services).DownloadAsync(url, Destination()));

        Assert.Equal(FetchErrorCodes.Unreachable, failure.Code);
    }

    [Fact]
    public async Task DownloadAsync_ImagesOnlyButBodyIsNotAnImage_FailsWithUnsupportedContentDespiteImageContentType()
    {
        await using var server = await TestHttpServer.StartAsync(app =>
            app.MapGet("/fake.png", () => Results.Bytes("<html>hi</html>"u8.ToArray(), "image/png")));
        using var services = TestFetchers.Services(AllowPrivate);

        var failure = await Assert.ThrowsAsync<FetchException>(() => TestFetchers.Create(services)
            .DownloadAsync(server.Url("/fake.png"), Destination(), new FetchRequest { AcceptedKinds = ContentKinds.Images }));

        Assert.Equal(FetchErrorCodes.UnsupportedContent, failure.Code);
        Assert.Empty(directory.GetFileSystemInfos());
    }
}
