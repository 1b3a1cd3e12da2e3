using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Reelgate.Tests.Providers;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Generation;

/// <summary>POST /api/v1/uploads and generating from an upload: images judged by their bytes, size limits, ownership.</summary>
public sealed class UploadTests(TestDatabase db) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private const long MaxImageBytes = 64 * 1024;
    private const long MaxAudioBytes = 96 * 1024;
    private ReelgateFactory _app = null!;

    public Task InitializeAsync()
    {
        _app = ProviderApp.Create(db.ConnectionString, [], new()
        {
            ["Generation:MaxImageBytes"] = MaxImageBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Generation:MaxAudioBytes"] = MaxAudioBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, byte[] bytes, string fileName = "photo.png", string field = "file")
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(file, field, fileName);
        return await client.PostAsync("/api/v1/uploads", form);
    }

    private static async Task<byte[]> PngAsync() => await File.ReadAllBytesAsync(await TestMedia.ImageAsync());

    [Fact]
    public async Task Upload_OfAPng_IsStored_AndAGenerationFromItsIdMakesAClipFromIt()
    {
        var user = await ProviderApp.FundedUserAsync(_app, 2);

        var response = await UploadAsync(user.Session, await PngAsync());
        var upload = await response.JsonAsync();
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("image/png", upload.GetProperty("contentType").GetString());
        var id = await ProviderApp.SubmitAsync(user.Session, "/api/v1/generate", new { uploadId = upload.GetProperty("id").GetGuid(), durationSec = 5 });
        var job = await ProviderApp.FinalAsync(user.Session, id);

        Assert.Equal("done", job.GetProperty("status").GetString());
        Assert.Contains(job.GetProperty("events").EnumerateArray(), e => e.GetProperty("status").GetString() == "fetching");
        Assert.Equal(1m, job.GetProperty("credits").GetProperty("charged").GetDecimal());
    }

    [Fact]
    public async Task Upload_OfNonImageBytes_Answers400NamingTheFile()
    {
        var user = await Api.RegisterAsync(_app);

        var response = await UploadAsync(user.Session, "<html>not an image</html>"u8.ToArray());

        var problem = await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation");
        Assert.True(problem.GetProperty("errors").TryGetProperty("file", out _));
    }

    [Fact]
    public async Task Upload_WithoutAFileField_Answers400()
    {
        var user = await Api.RegisterAsync(_app);

        var response = await UploadAsync(user.Session, await PngAsync(), field: "image");

        await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation");
    }

    public static TheoryData<string, string> MalformedForms => new()
    {
        { "multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n\r\n\x89PNG" },
        { "multipart/form-data", "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n\r\nx\r\n--b--\r\n" },
        { "multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"fi\"le\"; filename=\"a.png\"\r\n\r\nx\r\n--b--\r\n" },
        { "multipart/form-data; boundary=b", "--b\r\nContent-Disposition form-data\r\n\r\nx\r\n--b--\r\n" },
        { "multipart/form-data; boundary=b", string.Concat(Enumerable.Range(0, 1100).Select(i => $"--b\r\nContent-Disposition: form-data; name=\"f{i}\"\r\n\r\nv\r\n")) + "--b--\r\n" },
    };

    [Theory]
    [MemberData(nameof(MalformedForms))]
    public async Task Upload_WithAMalformedMultipartBody_Answers400NamingTheFile(string contentType, string body)
    {
        var user = await Api.RegisterAsync(_app);
        var content = new StringContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);

        var response = await user.Session.PostAsync("/api/v1/uploads", content);

        var problem = await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation");
        Assert.Contains("malformed", problem.GetProperty("errors").GetProperty("file")[0].GetString());
    }

    [Fact]
    public async Task Upload_LargerThanTheImageLimit_Answers413()
    {
        var user = await Api.RegisterAsync(_app);
        var png = await PngAsync();
        var tooLarge = new byte[MaxImageBytes + 1];
        png.CopyTo(tooLarge, 0);

        var response = await UploadAsync(user.Session, tooLarge);

        await Api.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "image-too-large");
    }

    [Fact]
    public async Task Upload_WithABodyBeyondTheEndpointLimit_Answers413BeforeReadingIt()
    {
        var user = await Api.RegisterAsync(_app);

        var response = await UploadAsync(user.Session, new byte[MaxAudioBytes * 3]);

        await Api.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "body-too-large");
    }

    [Fact]
    public async Task Generate_FromAnotherUsersUpload_Answers400AndHoldsNothing()
    {
        var owner = await Api.RegisterAsync(_app);
        var upload = await (await UploadAsync(owner.Session, await PngAsync())).JsonAsync();
        var stranger = await ProviderApp.FundedUserAsync(_app, 2);

        var response = await stranger.Session.PostAsJsonAsync("/api/v1/generate", new { uploadId = upload.GetProperty("id").GetGuid(), durationSec = 5 });

        var problem = await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation");
        Assert.True(problem.GetProperty("errors").TryGetProperty("uploadId", out _));
        Assert.Equal(0m, (await ProviderApp.CreditsAsync(stranger.Session)).GetProperty("held").GetDecimal());
    }

    [Fact]
    public async Task Generate_WithBothAnImageUrlAndAnUpload_Answers400()
    {
        var user = await ProviderApp.FundedUserAsync(_app, 2);
        var upload = await (await UploadAsync(user.Session, await PngAsync())).JsonAsync();

        var response = await user.Session.PostAsJsonAsync("/api/v1/generate",
            new { uploadId = upload.GetProperty("id").GetGuid(), imageUrl = "https://example.com/a.png", durationSec = 5 });

        var problem = await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation");
        Assert.True(problem.GetProperty("errors").TryGetProperty("uploadId", out _));
    }

    [Theory]
    [InlineData("/api/v1/uploads", MaxAudioBytes)]
    [InlineData("/create/generate", MaxImageBytes)]
    public void UploadEndpoints_AllowBodiesThatFitTheLargestFileTheyTake(string route, long largest)
    {
        var limits = _app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText == route)
            .Select(e => e.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize)
            .ToList();

        Assert.NotEmpty(limits);
        Assert.All(limits, limit => Assert.InRange(limit ?? 0, largest + 1024, largest + 128 * 1024));
    }
}
