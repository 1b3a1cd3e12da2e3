using System.Diagnostics;
using System.Net;
using System.Text;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Reelgate.Credits;
using Reelgate.Tests.Providers;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Integration;

public sealed class RetentionTests : IClassFixture<TestDatabase>
{
    private readonly TestDatabase _db;

    public RetentionTests(TestDatabase db) => _db = db;

    private static readonly StringContent Edit = new("""
        {"timeline": {"tracks": [{"clips": [{"asset": {"type": "title", "text": "kept briefly"}, "start": 0, "length": 1}]}]},
         "output": {"format": "mp4", "size": {"width": 160, "height": 90}, "fps": 12}}
        """, Encoding.UTF8, "application/json");

    private ReelgateFactory App(string retentionHours) => new(_db.ConnectionString, new Dictionary<string, string?>
    {
        ["Jobs:WorkerConcurrency"] = "1",
        ["Jobs:PollInterval"] = "00:00:00.500",
        ["Rendering:Preset"] = "ultrafast",
        ["Storage:RetentionHours"] = retentionHours,
        ["Storage:SweepInterval"] = "00:00:00.500",
    });

    private static async Task<JsonElement> PollAsync(HttpClient client, Guid id, Func<JsonElement, bool> until)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var job = await (await client.GetAsync($"/api/v1/job/{id}")).JsonAsync();
            if (until(job) || clock.Elapsed > TimeSpan.FromSeconds(60)) return job;
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task OutputPastRetention_IsDeletedFromStorage_AndLeavesTheJob()
    {
        using var app = App("0.001");
        var user = await Api.RegisterAsync(app);
        await app.Services.GetRequiredService<CreditAdjustments>().AdjustAsync(user.Id, 1m, "test", null, LedgerKinds.Grant, null);
        var id = (await (await user.Session.PostAsync("/api/v1/render", Edit)).JsonAsync()).GetProperty("id").GetGuid();

        var done = await PollAsync(user.Session, id, j => j.GetProperty("status").GetString() == "done");
        var output = done.GetProperty("outputs")[0];
        var expiresAt = output.GetProperty("expiresAt").GetDateTime();
        Assert.True(expiresAt < DateTime.UtcNow.AddSeconds(10), $"link expiry {expiresAt:O} should not pass the 3.6 s retention");
        var link = new Uri(output.GetProperty("url").GetString()!).PathAndQuery;
        Assert.Equal(HttpStatusCode.OK, (await user.Session.GetAsync(link)).StatusCode);

        var expired = await PollAsync(user.Session, id, j => j.GetProperty("events").EnumerateArray()
            .Any(e => e.GetProperty("message").GetString()!.Contains("retention", StringComparison.Ordinal)));

        Assert.Equal(0, expired.GetProperty("outputs").GetArrayLength());
        Assert.Equal("done", expired.GetProperty("status").GetString());
        Assert.Contains(expired.GetProperty("events").EnumerateArray(), e => e.GetProperty("message").GetString()!.Contains("deleted", StringComparison.Ordinal));
        Assert.NotEqual(HttpStatusCode.OK, (await user.Session.GetAsync(link)).StatusCode);
    }

    [Fact]
    public async Task UploadPastRetention_IsDeleted_AndCanNoLongerBeUsed()
    {
        using var app = App("0.0003");
        var user = await Api.RegisterAsync(app);
        await app.Services.GetRequiredService<CreditAdjustments>().AdjustAsync(user.Id, 2m, "test", null, LedgerKinds.Grant, null);
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(await File.ReadAllBytesAsync(await TestMedia.ImageAsync()));
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(file, "file", "photo.png");
        var uploadId = (await (await user.Session.PostAsync("/api/v1/uploads", form)).JsonAsync()).GetProperty("id").GetGuid();

        await using var connection = await app.Services.GetRequiredService<Npgsql.NpgsqlDataSource>().OpenConnectionAsync();
        var clock = Stopwatch.StartNew();
        while (await Dapper.SqlMapper.ExecuteScalarAsync<int>(connection, "SELECT count(*) FROM uploads WHERE id = @uploadId", new { uploadId }) > 0
               && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(300);
        }
        var response = await user.Session.PostAsJsonAsync("/api/v1/generate", new { uploadId, durationSec = 5 });

        var problem = await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation");
        Assert.True(problem.GetProperty("errors").TryGetProperty("uploadId", out _), problem.GetRawText());
    }

    [Fact]
    public async Task RetentionZero_KeepsOutputs_WithTheUsualLinkLifetime()
    {
        using var app = App("0");
        var user = await Api.RegisterAsync(app);
        await app.Services.GetRequiredService<CreditAdjustments>().AdjustAsync(user.Id, 1m, "test", null, LedgerKinds.Grant, null);
        var id = (await (await user.Session.PostAsync("/api/v1/render", Edit)).JsonAsync()).GetProperty("id").GetGuid();

        var done = await PollAsync(user.Session, id, j => j.GetProperty("status").GetString() == "done");
        await Task.Delay(1500);
        var later = await (await user.Session.GetAsync($"/api/v1/job/{id}")).JsonAsync();

        Assert.Equal(1, later.GetProperty("outputs").GetArrayLength());
        Assert.True(later.GetProperty("outputs")[0].GetProperty("expiresAt").GetDateTime() > DateTime.UtcNow.AddHours(23));
        Assert.Equal("done", done.GetProperty("status").GetString());
    }
}
