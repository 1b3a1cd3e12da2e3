using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Reelgate.Storage;

namespace Reelgate.Tests.Storage;

public sealed class S3ObjectStoreTests : IDisposable
{
    private readonly ServiceProvider services = TestS3.Services();
    private readonly string prefix = TestS3.NewPrefix();

    private IObjectStore Store => services.GetRequiredService<IObjectStore>();

    public void Dispose() => services.Dispose();

    private string Key(string name) => $"{prefix}/{name}";

    private async Task<byte[]> ReadAllAsync(string key)
    {
        await using var read = await Store.OpenReadAsync(key);
        Assert.NotNull(read);
        using var copy = new MemoryStream();
        await read.CopyToAsync(copy);
        return copy.ToArray();
    }

    [Fact]
    public void Provider_S3_RegistersTheS3Store() =>
        Assert.IsType<S3ObjectStore>(Store);

    [Fact]
    public async Task PutAsync_SmallObject_ReadsBackByteExactWithItsDigest()
    {
        var content = TestS3.Bytes(300_000);

        var stored = await Store.PutAsync(Key("small.mp4"), new MemoryStream(content), "video/mp4");

        Assert.Equal(content, await ReadAllAsync(Key("small.mp4")));
        Assert.Equal(new StoredObject(Key("small.mp4"), content.Length, "video/mp4", Convert.ToHexStringLower(SHA256.HashData(content))), stored);
    }

    [Fact]
    public async Task PutAsync_TwelveMebibytesInFiveMebibyteParts_ReadsBackByteExact()
    {
        var content = TestS3.Bytes(12 * 1024 * 1024 + 12345, seed: 2);

        var stored = await Store.PutAsync(Key("large.mp4"), new MemoryStream(content), "video/mp4");

        Assert.Equal(content, await ReadAllAsync(Key("large.mp4")));
        Assert.Equal(content.Length, stored.Length);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), stored.Sha256);
    }

    [Fact]
    public async Task PutAsync_ExactlyOnePartLong_ReadsBackByteExact()
    {
        var content = TestS3.Bytes(TestS3.PartSize, seed: 3);

        var stored = await Store.PutAsync(Key("one-part.bin"), new MemoryStream(content), "application/octet-stream");

        Assert.Equal(content, await ReadAllAsync(Key("one-part.bin")));
        Assert.Equal(TestS3.PartSize, stored.Length);
    }

    [Fact]
    public async Task PutAsync_SourceBreaksAfterTheFirstPart_FailsAndLeavesNoObject()
    {
        var source = new BreakingStream(TestS3.Bytes(TestS3.PartSize + 1024, seed: 4));

        await Assert.ThrowsAsync<IOException>(() => Store.PutAsync(Key("broken.mp4"), source, "video/mp4"));

        Assert.False(await Store.ExistsAsync(Key("broken.mp4")));
    }

    [Fact]
    public async Task PutAsync_ExistingKey_ReplacesTheContent()
    {
        await Store.PutAsync(Key("replaced.bin"), new MemoryStream([1, 2, 3]), "application/octet-stream");

        await Store.PutAsync(Key("replaced.bin"), new MemoryStream([9]), "application/octet-stream");

        Assert.Equal([9], await ReadAllAsync(Key("replaced.bin")));
    }

    [Fact]
    public async Task PutFileAsync_UploadsTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"reelgate-s3-{Guid.NewGuid():N}.jpg");
        await File.WriteAllBytesAsync(path, TestS3.Bytes(2048, seed: 5));
        try
        {
            var stored = await Store.PutFileAsync(Key("poster.jpg"), path, "image/jpeg");

            Assert.Equal(await File.ReadAllBytesAsync(path), await ReadAllAsync(Key("poster.jpg")));
            Assert.Equal("image/jpeg", stored.ContentType);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task PutAsync_EmptyContentType_TakesItFromTheKey()
    {
        var stored = await Store.PutAsync(Key("clip.webm"), new MemoryStream([1]), "");

        Assert.Equal("video/webm", stored.ContentType);
    }

    [Fact]
    public async Task OpenReadAsync_MissingKey_ReturnsNull() =>
        Assert.Null(await Store.OpenReadAsync(Key("missing.mp4")));

    [Fact]
    public async Task DeleteAsync_StoredObject_IsGoneAfterwards()
    {
        await Store.PutAsync(Key("gone.mp4"), new MemoryStream([1, 2]), "video/mp4");
        Assert.True(await Store.ExistsAsync(Key("gone.mp4")));

        await Store.DeleteAsync(Key("gone.mp4"));

        Assert.False(await Store.ExistsAsync(Key("gone.mp4")));
        Assert.Null(await Store.OpenReadAsync(Key("gone.mp4")));
    }

    [Fact]
    public async Task DeleteAsync_MissingKey_IsNotAnError()
    {
        await Store.DeleteAsync(Key("never-stored.mp4"));

        Assert.False(await Store.ExistsAsync(Key("never-stored.mp4")));
    }

    [Theory]
    [InlineData("../escape.mp4")]
    [InlineData("/absolute.mp4")]
    [InlineData("a//b.mp4")]
    public async Task Operations_InvalidKey_AreRejectedBeforeAnyRequest(string key)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.PutAsync(key, new MemoryStream([1]), "video/mp4"));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.GetDownloadUrlAsync(key, TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task CheckHealthAsync_ExistingBucket_IsHealthy() =>
        Assert.True(await Store.CheckHealthAsync());

    [Fact]
    public async Task CheckHealthAsync_MissingBucket_IsUnhealthy()
    {
        using var other = TestS3.Services(("Storage:S3:Bucket", "no-such-bucket-" + prefix));

        Assert.False(await other.GetRequiredService<IObjectStore>().CheckHealthAsync());
    }

    [Fact]
    public async Task CheckHealthAsync_NothingListening_IsUnhealthy()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var other = TestS3.Services(("Storage:S3:Endpoint", $"http://127.0.0.1:{closedPort}"));

        Assert.False(await other.GetRequiredService<IObjectStore>().CheckHealthAsync());
    }

    /// <summary>Serves its bytes, then fails as a dropped connection would.</summary>
    private sealed class BreakingStream(byte[] content) : MemoryStream(content)
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await base.ReadAsync(buffer, cancellationToken);
            return read > 0 ? read : throw new IOException("connection reset");
        }
    }
}
