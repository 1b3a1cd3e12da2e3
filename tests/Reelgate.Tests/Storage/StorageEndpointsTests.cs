using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Reelgate.Storage;

namespace Reelgate.Tests.Storage;

public sealed class StorageEndpointsTests : IAsyncLifetime
{
    private static readonly byte[] Video = Enumerable.Range(0, 4096).Select(i => (byte)(i % 251)).ToArray();

    private readonly TestStorage storage = new();
    private WebApplication app = null!;
    private HttpClient client = null!;
    private IObjectStore store = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddStorage(storage.Configuration());
        app = builder.Build();
        app.MapStorage();
        await app.StartAsync();
        client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
        store = app.Services.GetRequiredService<IObjectStore>();
        await store.PutAsync("videos/2026/01/user_1/video_1.mp4", new MemoryStream(Video), "video/mp4");
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await app.DisposeAsync();
        storage.Dispose();
    }

    private async Task<string> SignedPath(string key, string extraQuery = "")
    {
        var url = await store.GetDownloadUrlAsync(key, TimeSpan.FromMinutes(5));
        return url.PathAndQuery + extraQuery;
    }

    [Fact]
    public async Task Get_WithValidLink_ServesTheBytesInlineWithStoredContentType()
    {
        using var response = await client.GetAsync(await SignedPath("videos/2026/01/user_1/video_1.mp4"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("video/mp4", response.Content.Headers.ContentType?.MediaType);
        Assert.Null(response.Content.Headers.ContentDisposition);
        Assert.Equal(Video, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Get_WithRange_Returns206WithExactlyThoseBytes()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, await SignedPath("videos/2026/01/user_1/video_1.mp4"));
        request.Headers.Range = new RangeHeaderValue(1000, 1099);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal("bytes 1000-1099/4096", response.Content.Headers.ContentRange?.ToString());
        Assert.Equal(Video[1000..1100], await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Get_WithDownloadFlag_SendsAttachmentNamedAfterTheKey()
    {
        using var response = await client.GetAsync(await SignedPath("videos/2026/01/user_1/video_1.mp4", "&download=1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("video_1.mp4", response.Content.Headers.ContentDisposition?.FileName);
    }

    [Fact]
    public async Task Get_ScriptableContentType_IsAlwaysAnAttachmentWithNosniff()
    {
        await store.PutAsync("images/u/page.html", new MemoryStream("<script>alert(1)</script>"u8.ToArray()), "text/html");

        using var response = await client.GetAsync(await SignedPath("images/u/page.html"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task Get_WithTamperedSignature_Returns403LinkInvalid()
    {
        var path = await SignedPath("videos/2026/01/user_1/video_1.mp4");
        var tampered = path[..^1] + (path[^1] == 'A' ? 'B' : 'A');

        using var response = await client.GetAsync(tampered);

        await AssertProblem(response, "/problems/link-invalid");
    }

    [Fact]
    public async Task Get_SignatureForAnotherKey_Returns403LinkInvalid()
    {
        await store.PutAsync("videos/2026/01/user_2/video_2.mp4", new MemoryStream([1]), "video/mp4");
        var query = (await store.GetDownloadUrlAsync("videos/2026/01/user_2/video_2.mp4", TimeSpan.FromMinutes(5))).Query;

        using var response = await client.GetAsync("/files/videos/2026/01/user_1/video_1.mp4" + query);

        await AssertProblem(response, "/problems/link-invalid");
    }

    [Fact]
    public async Task Get_WithoutSignature_Returns403LinkInvalid()
    {
        using var response = await client.GetAsync("/files/videos/2026/01/user_1/video_1.mp4");

        await AssertProblem(response, "/problems/link-invalid");
    }

    [Fact]
    public async Task Get_AfterExpiry_Returns403LinkExpired()
    {
        const string key = "videos/2026/01/user_1/video_1.mp4";
        var expires = DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeSeconds();
        var signature = app.Services.GetRequiredService<LinkSigner>().Sign(key, expires);

        using var response = await client.GetAsync($"/files/{key}?expires={expires}&sig={signature}");

        await AssertProblem(response, "/problems/link-expired");
    }

    [Fact]
    public async Task Get_ValidLinkToMissingObject_Returns404()
    {
        using var response = await client.GetAsync(await SignedPath("videos/2026/01/user_1/deleted.mp4"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static async Task AssertProblem(HttpResponseMessage response, string type)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.Equal(type, problem?.Type);
    }
}
