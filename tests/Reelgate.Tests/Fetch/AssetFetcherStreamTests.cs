using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reelgate.Fetch;

namespace Reelgate.Tests.Fetch;

public sealed class AssetFetcherStreamTests
{
    private static readonly Dictionary<string, string?> AllowPrivate = new() { ["Fetch:AllowPrivateNetworks"] = "true" };

    [Fact]
    public async Task OpenAsync_ServerStallsMidBody_ReadFailsAsTimeoutAfterTheDeadline()
    {
        await using var server = await TestHttpServer.StartAsync(app => app.MapGet("/stall", async (HttpResponse response, CancellationToken aborted) =>
        {
            await response.Body.WriteAsync(new byte[] { 1, 2, 3 }, aborted);
            await response.Body.FlushAsync(aborted);
            await Task.Delay(TimeSpan.FromSeconds(30), aborted);
        }));
        using var services = TestFetchers.Services(AllowPrivate);
        await using var download = await TestFetchers.Create(services)
            .OpenAsync(server.Url("/stall"), new FetchRequest { Timeout = TimeSpan.FromSeconds(2) });

        var failure = await Assert.ThrowsAsync<FetchException>(() => download.CopyToAsync(Stream.Null));

        Assert.Equal(FetchErrorCodes.Timeout, failure.Code);
        Assert.Equal(3, download.Position);
    }

    [Fact]
    public async Task OpenAsync_AnnouncedLengthOverTheLimit_IsRefusedBeforeReading()
    {
        await using var server = await TestHttpServer.StartAsync(app => app.MapGet("/big", () => Results.Bytes(new byte[2048], "video/mp4")));
        using var services = TestFetchers.Services(AllowPrivate);

        var failure = await Assert.ThrowsAsync<FetchException>(() =>
            TestFetchers.Create(services).OpenAsync(server.Url("/big"), new FetchRequest { MaxBytes = 1024 }));

        Assert.Equal(FetchErrorCodes.TooLarge, failure.Code);
    }

    [Fact]
    public async Task OpenAsync_ServedFile_ExposesTypeLengthAndExactBytes()
    {
        var content = new byte[] { 9, 8, 7, 6 };
        await using var server = await TestHttpServer.StartAsync(app => app.MapGet("/f", () => Results.Bytes(content, "video/mp4")));
        using var services = TestFetchers.Services(AllowPrivate);

        await using var download = await TestFetchers.Create(services).OpenAsync(server.Url("/f"));
        using var copy = new MemoryStream();
        await download.CopyToAsync(copy);

        Assert.Equal(("video/mp4", 4L), (download.ContentType, download.ContentLength));
        Assert.Equal(content, copy.ToArray());
    }
}
