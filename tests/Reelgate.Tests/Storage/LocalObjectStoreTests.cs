using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Reelgate.Storage;

namespace Reelgate.Tests.Storage;

public sealed class LocalObjectStoreTests : IDisposable
{
    private readonly TestStorage storage = new();
    private readonly ServiceProvider services;
    private readonly IObjectStore store;

    public LocalObjectStoreTests()
    {
        services = storage.Services();
        store = services.GetRequiredService<IObjectStore>();
    }

    public void Dispose()
    {
        services.Dispose();
        storage.Dispose();
    }

    [Fact]
    public async Task PutAsync_ThenOpenRead_ReturnsTheSameBytes()
    {
        var content = RandomNumberGenerator.GetBytes(300_000);

        var stored = await store.PutAsync("videos/2026/01/user_1/video_1.mp4", new MemoryStream(content), "video/mp4");
        await using var read = await store.OpenReadAsync("videos/2026/01/user_1/video_1.mp4");
        using var copy = new MemoryStream();
        await read!.CopyToAsync(copy);

        Assert.Equal(content, copy.ToArray());
        Assert.Equal(new StoredObject("videos/2026/01/user_1/video_1.mp4", content.Length, "video/mp4",
            Convert.ToHexStringLower(SHA256.HashData(content))), stored);
    }

    [Fact]
    public async Task PutAsync_ExistingKey_ReplacesContentAndLeavesNoTemporaryFiles()
    {
        await store.PutAsync("a/b.bin", new MemoryStream([1, 2, 3]), "application/octet-stream");

        await store.PutAsync("a/b.bin", new MemoryStream([9]), "application/octet-stream");

        Assert.Equal([9], await File.ReadAllBytesAsync(Path.Combine(storage.LocalPath, "a", "b.bin")));
        Assert.Empty(Directory.GetFiles(Path.Combine(storage.LocalPath, ".tmp")));
    }

    [Fact]
    public async Task PutFileAsync_CopiesTheFileAndKeepsTheSource()
    {
        var source = Path.Combine(storage.Root.FullName, "render.mp4");
        await File.WriteAllBytesAsync(source, [5, 6, 7, 8]);

        var stored = await store.PutFileAsync("out/render.mp4", source, "video/mp4");

        Assert.Equal(4, stored.Length);
        Assert.True(await store.ExistsAsync("out/render.mp4"));
        Assert.True(File.Exists(source));
    }

    [Theory]
    [InlineData("../escape.txt")]
    [InlineData("a/../../escape.txt")]
    [InlineData("/tmp/escape.txt")]
    [InlineData(".meta/a.json")]
    [InlineData("a\\..\\escape.txt")]
    [InlineData("")]
    public async Task PutAsync_KeyOutsideTheRules_IsRejectedAndWritesNothing(string key)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => store.PutAsync(key, new MemoryStream([1]), "text/plain"));

        Assert.Empty(storage.Root.GetFiles("*", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData("../escape.txt")]
    [InlineData("/etc/passwd")]
    public async Task ReadAndDelete_KeyOutsideTheRules_AreRejected(string key)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => store.OpenReadAsync(key));
        await Assert.ThrowsAsync<ArgumentException>(() => store.DeleteAsync(key));
        await Assert.ThrowsAsync<ArgumentException>(() => store.GetDownloadUrlAsync(key, TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task OpenReadAsync_MissingKey_ReturnsNull()
    {
        Assert.Null(await store.OpenReadAsync("nothing/here.mp4"));
        Assert.False(await store.ExistsAsync("nothing/here.mp4"));
    }

    [Fact]
    public async Task DeleteAsync_RemovesTheObjectAndToleratesMissingOnes()
    {
        await store.PutAsync("gone/soon.jpg", new MemoryStream([1]), "image/jpeg");

        await store.DeleteAsync("gone/soon.jpg");
        await store.DeleteAsync("never/was.jpg");

        Assert.False(await store.ExistsAsync("gone/soon.jpg"));
    }

    [Fact]
    public async Task FindFile_ReturnsStoredContentTypeOrOneDerivedFromTheExtension()
    {
        var local = services.GetRequiredService<LocalObjectStore>();
        await store.PutAsync("a/clip.bin", new MemoryStream([1]), "video/webm");
        await store.PutAsync("a/poster.jpg", new MemoryStream([1]), "");

        Assert.Equal("video/webm", local.FindFile("a/clip.bin")!.ContentType);
        Assert.Equal("image/jpeg", local.FindFile("a/poster.jpg")!.ContentType);
    }

    [Fact]
    public async Task GetDownloadUrlAsync_BuildsSignedFilesUrlOnPublicBase()
    {
        var url = await store.GetDownloadUrlAsync("a/clip.mp4", TimeSpan.FromMinutes(10));

        Assert.StartsWith("http://files.test/files/a/clip.mp4?expires=", url.ToString());
        Assert.Contains("&sig=", url.Query);
    }

    [Fact]
    public async Task GetDownloadUrlAsync_NonPositiveLifetime_IsRejected() =>
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.GetDownloadUrlAsync("a/clip.mp4", TimeSpan.Zero));

    [Fact]
    public async Task CheckHealthAsync_WritableRoot_IsHealthy() =>
        Assert.True(await store.CheckHealthAsync());

    [Fact]
    public async Task CheckHealthAsync_RootIsAFile_IsUnhealthy()
    {
        Directory.CreateDirectory(storage.Root.FullName);
        await File.WriteAllTextAsync(storage.LocalPath, "not a directory");

        Assert.False(await store.CheckHealthAsync());
    }
}
