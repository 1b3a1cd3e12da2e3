using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Reelgate.Fetch;
using Reelgate.Storage;
using Reelgate.Tests.Fetch;

namespace Reelgate.Tests.Storage;

public sealed class S3TransferTests : IDisposable
{
    private static readonly byte[] Large = TestS3.Bytes(12 * 1024 * 1024 + 777, seed: 11);

    private readonly ServiceProvider services = TestS3.Services(("Fetch:MaxBytes", "20000000"));
    private readonly string prefix = TestS3.NewPrefix();

    public void Dispose() => services.Dispose();

    private StorageTransfer Transfer => services.GetRequiredService<StorageTransfer>();

    private IObjectStore Store => services.GetRequiredService<IObjectStore>();

    private static Task<TestHttpServer> ServeAsync() => TestHttpServer.StartAsync(app =>
    {
        // Written in pieces without a Content-Length, as a provider's chunked download arrives.
        app.MapGet("/chunked.mp4", async (HttpResponse response) =>
        {
            response.ContentType = "video/mp4";
            for (var offset = 0; offset < Large.Length; offset += 1 << 20)
            {
                await response.Body.WriteAsync(Large.AsMemory(offset, Math.Min(1 << 20, Large.Length - offset)));
            }
        });
        app.MapGet("/sized.bin", () => Results.Bytes(Large.AsMemory(0, 4096).ToArray(), "application/octet-stream"));
        app.MapGet("/moved", () => Results.Redirect("/chunked.mp4"));
        app.MapGet("/missing", () => Results.NotFound());
    });

    private async Task<byte[]> ReadAllAsync(string key)
    {
        await using var read = await Store.OpenReadAsync(key);
        using var copy = new MemoryStream();
        await read!.CopyToAsync(copy);
        return copy.ToArray();
    }

    [Fact]
    public async Task CopyFromUrlAsync_ChunkedDownloadOverAPart_StoresItByteExactWithTheServedType()
    {
        await using var server = await ServeAsync();

        var stored = await Transfer.CopyFromUrlAsync(server.Url("/chunked.mp4"), $"{prefix}/out.mp4");

        Assert.Equal(Large, await ReadAllAsync($"{prefix}/out.mp4"));
        Assert.Equal((Large.LongLength, "video/mp4"), (stored.Length, stored.ContentType));
    }

    [Fact]
    public async Task CopyFromUrlAsync_Redirect_IsFollowed()
    {
        await using var server = await ServeAsync();

        var stored = await Transfer.CopyFromUrlAsync(server.Url("/moved"), $"{prefix}/moved.mp4");

        Assert.Equal(Large.LongLength, stored.Length);
    }

    [Fact]
    public async Task CopyFromUrlAsync_GenericServedType_TakesTheKeysType()
    {
        await using var server = await ServeAsync();

        var stored = await Transfer.CopyFromUrlAsync(server.Url("/sized.bin"), $"{prefix}/thumb.jpg");

        Assert.Equal("image/jpeg", stored.ContentType);
    }

    [Fact]
    public async Task CopyFromUrlAsync_SourceAnswers404_FailsWithItsStatusAndStoresNothing()
    {
        await using var server = await ServeAsync();

        var failure = await Assert.ThrowsAsync<FetchException>(() => Transfer.CopyFromUrlAsync(server.Url("/missing"), $"{prefix}/none.mp4"));

        Assert.Equal((FetchErrorCodes.HttpStatus, 404), (failure.Code, failure.StatusCode));
        Assert.False(await Store.ExistsAsync($"{prefix}/none.mp4"));
    }

    [Fact]
    public async Task CopyFromUrlAsync_DownloadPassesTheSizeLimitMidway_FailsAsTooLargeAndStoresNothing()
    {
        await using var server = await ServeAsync();

        var failure = await Assert.ThrowsAsync<FetchException>(() => Transfer.CopyFromUrlAsync(
            server.Url("/chunked.mp4"), $"{prefix}/too-large.mp4", request: new FetchRequest { MaxBytes = 7 * 1024 * 1024 }));

        Assert.Equal(FetchErrorCodes.TooLarge, failure.Code);
        Assert.False(await Store.ExistsAsync($"{prefix}/too-large.mp4"));
    }

    [Fact]
    public async Task CopyFromUrlAsync_LoopbackWithoutPrivateNetworksAllowed_IsRefusedWithoutConnecting()
    {
        await using var server = await ServeAsync();
        using var guarded = TestS3.Services(("Fetch:AllowPrivateNetworks", "false"));

        var failure = await Assert.ThrowsAsync<FetchException>(() =>
            guarded.GetRequiredService<StorageTransfer>().CopyFromUrlAsync(server.Url("/chunked.mp4"), $"{prefix}/blocked.mp4"));

        Assert.Equal(FetchErrorCodes.BlockedAddress, failure.Code);
        Assert.Equal(0, server.RequestCount);
    }
}
