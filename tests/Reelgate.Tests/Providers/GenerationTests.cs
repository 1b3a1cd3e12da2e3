using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reelgate.Tests.Fetch;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Providers;

/// <summary>POST /api/v1/generate with the local motion generator: real mp4 files, validation by content, credits.</summary>
public sealed class GenerationTests(TestDatabase db) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private readonly string _big = Path.Combine(Path.GetTempPath(), $"reelgate-big-{Guid.NewGuid():N}.png");
    private ReelgateFactory _app = null!;
    private TestHttpServer _images = null!;

    public async Task InitializeAsync()
    {
        var png = await TestMedia.ImageAsync();
        await using (var big = File.Create(_big))
        {
            await big.WriteAsync(await File.ReadAllBytesAsync(png));
            big.SetLength(11L * 1024 * 1024);
        }
        _images = await TestHttpServer.StartAsync(app =>
        {
            app.MapGet("/photo.png", () => Results.File(png, "image/png"));
            app.MapGet("/fake.png", () => Results.Text("<html>not an image</html>", "image/png"));
            app.MapGet("/huge.png", () => Results.File(_big, "image/png"));
        });
        _app = ProviderApp.Create(db.ConnectionString, []);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _images.DisposeAsync();
        File.Delete(_big);
    }

    private async Task<(double Duration, int Width, int Height)> ProbeOutputAsync(JsonElement job)
    {
        var url = job.GetProperty("outputs")[0].GetProperty("url").GetString()!;
        var path = Path.Combine(Path.GetTempPath(), $"reelgate-gen-{Guid.NewGuid():N}.mp4");
        await File.WriteAllBytesAsync(path, await _app.CreateClient().GetByteArrayAsync(new Uri(url).PathAndQuery));
        try
        {
            using var probe = Process.Start(new ProcessStartInfo("ffprobe",
                $"-v error -show_entries format=duration:stream=width,height,codec_name -of json {path}") { RedirectStandardOutput = true })!;
            var json = JsonDocument.Parse(await probe.StandardOutput.ReadToEndAsync()).RootElement;
            var stream = json.GetProperty("streams")[0];
            Assert.Equal("h264", stream.GetProperty("codec_name").GetString());
            return (double.Parse(json.GetProperty("format").GetProperty("duration").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
                stream.GetProperty("width").GetInt32(), stream.GetProperty("height").GetInt32());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task LocalImageGeneration_ProducesAnMp4OfTheRequestedDurationAndAspect()
    {
        var user = await ProviderApp.FundedUserAsync(_app, 5);

        var id = await ProviderApp.SubmitAsync(user.Session, "/api/v1/generate",
            new { imageUrl = _images.Url("/photo.png"), prompt = "slow push in", durationSec = 10, ratio = "9:16", seed = 7 });
        var job = await ProviderApp.FinalAsync(user.Session, id);

        Assert.Equal("done", job.GetProperty("status").GetString());
        Assert.Equal("local", job.GetProperty("provider").GetString());
        Assert.Equal("generation", job.GetProperty("kind").GetString());
        Assert.Equal(7, job.GetProperty("seed").GetInt64());
        var (duration, width, height) = await ProbeOutputAsync(job);
        Assert.InRange(duration, 9.9, 10.1);
        Assert.Equal(9.0 / 16, (double)width / height, 2);
        Assert.Equal(2m, job.GetProperty("credits").GetProperty("charged").GetDecimal());
        Assert.Equal(3m, (await ProviderApp.CreditsAsync(user.Session)).GetProperty("available").GetDecimal());
    }

    [Fact]
    public async Task TextOnlyGeneration_ProducesATitleCardMp4()
    {
        var user = await ProviderApp.FundedUserAsync(_app, 1);

        var id = await ProviderApp.SubmitAsync(user.Session, "/api/v1/generate",
            new { prompt = "A paper boat sails across a rainy street, lit by neon signs reflecting on the puddles", durationSec = 5 });
        var job = await ProviderApp.FinalAsync(user.Session, id);

        Assert.Equal("done", job.GetProperty("status").GetString());
        Assert.True(job.TryGetProperty("seed", out _));
        var (duration, width, height) = await ProbeOutputAsync(job);
        Assert.InRange(duration, 4.9, 5.1);
        Assert.Equal(16.0 / 9, (double)width / height, 1);
        Assert.Equal(1m, job.GetProperty("credits").GetProperty("charged").GetDecimal());
    }

    [Fact]
    public async Task ImageUrlWhoseBytesAreNotAnImage_Answers400AtImageUrl()
    {
        var user = await ProviderApp.FundedUserAsync(_app, 1);

        var response = await user.Session.PostAsJsonAsync("/api/v1/generate", new { imageUrl = _images.Url("/fake.png"), durationSec = 5 });

        var problem = await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation");
        Assert.Contains("JPEG, PNG or WebP", problem.GetProperty("errors").GetProperty("imageUrl")[0].GetString());
        Assert.Equal(1m, (await ProviderApp.CreditsAsync(user.Session)).GetProperty("available").GetDecimal());
    }

    [Fact]
    public async Task ImageOverTenMegabytes_Answers400AtImageUrl()
    {
        var user = await ProviderApp.FundedUserAsync(_app, 1);

        var response = await user.Session.PostAsJsonAsync("/api/v1/generate", new { imageUrl = _images.Url("/huge.png"), durationSec = 5 });

        var problem = await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation");
        Assert.Contains("10 MB", problem.GetProperty("errors").GetProperty("imageUrl")[0].GetString());
    }

    [Fact]
    public async Task GenerationWithoutEnoughCredits_Answers402AndQueuesNothing()
    {
        var user = await ProviderApp.FundedUserAsync(_app, 1);

        var response = await user.Session.PostAsJsonAsync("/api/v1/generate", new { prompt = "storm", durationSec = 10 });

        var problem = await Api.AssertProblemAsync(response, HttpStatusCode.PaymentRequired, "insufficient-credits");
        Assert.Equal(2m, problem.GetProperty("required").GetDecimal());
        Assert.Empty((await (await user.Session.GetAsync("/api/v1/jobs")).JsonAsync()).GetProperty("data").EnumerateArray());
    }

    [Theory]
    [InlineData("""{"prompt":"x","durationSec":7}""", "durationSec")]
    [InlineData("""{"durationSec":5}""", "prompt")]
    [InlineData("""{"prompt":"x","durationSec":5,"ratio":"4:3"}""", "ratio")]
    [InlineData("""{"prompt":"x","durationSec":5,"provider":"sora"}""", "provider")]
    [InlineData("""{"prompt":"x","durationSec":5,"provider":"runpod"}""", "provider")]
    [InlineData("""{"imageUrl":"file:///etc/passwd","durationSec":5}""", "imageUrl")]
    public async Task InvalidGenerationRequest_Answers400AtTheField(string body, string field)
    {
        var user = await ProviderApp.FundedUserAsync(_app, 1);

        var response = await user.Session.PostAsync("/api/v1/generate", Api.Json(body));

        var problem = await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task PromptLongerThan2000Characters_Answers400AtPrompt()
    {
        var user = await ProviderApp.FundedUserAsync(_app, 1);

        var response = await user.Session.PostAsJsonAsync("/api/v1/generate", new { prompt = new string('a', 2001), durationSec = 5 });

        var problem = await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation");
        Assert.True(problem.GetProperty("errors").TryGetProperty("prompt", out _));
    }
}
