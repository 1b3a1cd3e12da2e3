using System.Globalization;
using System.Net;
using System.Web;
using Microsoft.Extensions.DependencyInjection;
using Reelgate.Storage;

namespace Reelgate.Tests.Storage;

public sealed class S3LinkTests : IDisposable
{
    private static readonly HttpClient Http = new();

    private readonly List<ServiceProvider> providers = [];
    private readonly string prefix = TestS3.NewPrefix();

    public void Dispose() => providers.ForEach(provider => provider.Dispose());

    private IObjectStore Store(params (string Key, string? Value)[] settings)
    {
        var provider = TestS3.Services(settings);
        providers.Add(provider);
        return provider.GetRequiredService<IObjectStore>();
    }

    private async Task<string> PutAsync(IObjectStore store, string name, byte[] content, string contentType = "video/mp4")
    {
        var key = $"{prefix}/{name}";
        await store.PutAsync(key, new MemoryStream(content), contentType);
        return key;
    }

    /// <summary>
    /// The link's X-Amz-Expires. The SDK counts it from its own clock, not ours, and one run saw every link of this class
    /// a second longer than asked (86,401 s for a day); the bounds below allow that second.
    /// </summary>
    private static long ExpiresSeconds(Uri url) =>
        long.Parse(HttpUtility.ParseQueryString(url.Query)["X-Amz-Expires"]!, CultureInfo.InvariantCulture);

    [Fact]
    public async Task GetDownloadUrlAsync_Private_IsPresignedAndDownloadsByteExactOverPlainHttp()
    {
        var store = Store();
        var content = TestS3.Bytes(70_000);
        var key = await PutAsync(store, "private.mp4", content);

        var url = await store.GetDownloadUrlAsync(key, TimeSpan.FromMinutes(10));
        using var response = await Http.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(content, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("video/mp4", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("X-Amz-Credential=S3RVER%2F", url.Query);
        Assert.Contains("X-Amz-Signature=", url.Query);
    }

    [Fact]
    public async Task GetDownloadUrlAsync_CustomEndpoint_AddressesTheBucketPathStyle()
    {
        var store = Store();
        var key = await PutAsync(store, "path-style.mp4", [1, 2, 3]);

        var url = await store.GetDownloadUrlAsync(key, TimeSpan.FromMinutes(10));

        Assert.StartsWith($"{TestS3.Endpoint}/{TestS3.Bucket}/{key}?", url.ToString());
    }

    [Fact]
    public async Task GetDownloadLinkAsync_LifetimeOverADay_IsCappedAtADay()
    {
        var store = Store(("Storage:RetentionHours", "0"));
        var key = await PutAsync(store, "capped.mp4", [1]);

        var link = await store.GetDownloadLinkAsync(key, TimeSpan.FromHours(48), null);

        Assert.InRange(ExpiresSeconds(link.Url), 86_395, 86_401);
        Assert.InRange(link.ExpiresAt!.Value, DateTimeOffset.UtcNow.AddHours(24).AddSeconds(-5), DateTimeOffset.UtcNow.AddHours(24));
    }

    [Fact]
    public async Task GetDownloadLinkAsync_RetentionEndSooner_EndsTheLinkThenAndItStillDownloads()
    {
        var store = Store();
        var key = await PutAsync(store, "retained.mp4", [4, 5, 6]);
        var retentionEnd = DateTimeOffset.UtcNow.AddMinutes(10);

        var link = await store.GetDownloadLinkAsync(key, TimeSpan.FromHours(24), retentionEnd);
        using var response = await Http.GetAsync(link.Url);

        Assert.InRange(ExpiresSeconds(link.Url), 595, 601);
        Assert.InRange(link.ExpiresAt!.Value, retentionEnd.AddSeconds(-1), retentionEnd);
        Assert.Equal([4, 5, 6], await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task GetDownloadLinkAsync_ConfiguredRetentionShorterThanLifetime_CapsTheLink()
    {
        var store = Store(("Storage:RetentionHours", "2"));
        var key = await PutAsync(store, "short-retention.mp4", [1]);

        var link = await store.GetDownloadLinkAsync(key, TimeSpan.FromHours(24), null);

        Assert.InRange(ExpiresSeconds(link.Url), 7195, 7201);
    }

    [Fact]
    public async Task GetDownloadLinkAsync_RetentionOver_HasNoLink()
    {
        var store = Store();
        var key = await PutAsync(store, "expired.mp4", [1]);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            store.GetDownloadLinkAsync(key, TimeSpan.FromHours(1), DateTimeOffset.UtcNow.AddMinutes(-1)));
    }

    [Fact]
    public async Task GetDownloadLinkAsync_PublicReadWithBaseUrl_IsThePlainPublicUrlAndDownloadsByteExact()
    {
        var publicBase = $"{TestS3.Endpoint}/{TestS3.Bucket}/";
        var store = Store(("Storage:S3:Acl", "publicRead"), ("Storage:S3:PublicBaseUrl", publicBase));
        var content = TestS3.Bytes(5000, seed: 7);
        var key = await PutAsync(store, "public.mp4", content);
        var retentionEnd = DateTimeOffset.UtcNow.AddHours(3);

        var link = await store.GetDownloadLinkAsync(key, TimeSpan.FromHours(1), retentionEnd);
        using var response = await Http.GetAsync(link.Url);

        Assert.Equal(new Uri($"{TestS3.Endpoint}/{TestS3.Bucket}/{key}"), link.Url);
        Assert.Equal(retentionEnd, link.ExpiresAt);
        Assert.Equal(content, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task GetDownloadLinkAsync_PublicReadWithoutBaseUrl_FallsBackToPresigned()
    {
        var store = Store(("Storage:S3:Acl", "publicRead"));
        var key = await PutAsync(store, "public-no-base.mp4", [1]);

        var link = await store.GetDownloadLinkAsync(key, TimeSpan.FromHours(1), null);

        Assert.Contains("X-Amz-Signature=", link.Url.Query);
    }

    [Fact]
    public async Task GetDownloadLinkAsync_FlatEnvironmentNames_SelectThePublicUrl()
    {
        var store = Store(
            ("Storage:Provider", null), ("STORAGE_PROVIDER", "s3"),
            ("Storage:S3:Bucket", null), ("GCS_BUCKET", TestS3.Bucket),
            ("GCS_ACL", "publicRead"), ("STORAGE_PUBLIC_BASE_URL", "https://media.example.com"));
        var key = await PutAsync(store, "flat.mp4", [1]);

        var link = await store.GetDownloadLinkAsync(key, TimeSpan.FromHours(1), null);

        Assert.Equal(new Uri($"https://media.example.com/{key}"), link.Url);
    }
}
