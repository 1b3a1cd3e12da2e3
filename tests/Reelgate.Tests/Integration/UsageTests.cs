using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Reelgate.Accounts;
using Reelgate.Credits;
using Reelgate.Tests.Support;
using Reelgate.Usage;

namespace Reelgate.Tests.Integration;

public sealed class UsageTests : IClassFixture<TestDatabase>, IDisposable
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Jobs:WorkerConcurrency"] = "1",
        ["Jobs:PollInterval"] = "00:00:00.500",
        ["Rendering:Preset"] = "ultrafast",
        ["Usage:CreditPrice"] = "0.5",
        ["Usage:ProviderCostPerMinute:local"] = "1.2",
    };
    private const string TwoSecondEdit = """
        {"timeline":{"tracks":[{"clips":[{"asset":{"type":"title","text":"Usage"},"start":0,"length":2}]}]},
         "output":{"format":"mp4","size":{"width":160,"height":90},"fps":12}}
        """;
    private readonly ReelgateFactory _app;
    private readonly TestDatabase _db;

    public UsageTests(TestDatabase db)
    {
        _db = db;
        _app = new ReelgateFactory(db.ConnectionString, Settings);
    }

    public void Dispose() => _app.Dispose();

    private static string Today => DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private async Task<(Registered User, HttpClient Client, Guid KeyId)> FundedUserAsync(decimal credits)
    {
        var user = await Api.RegisterAsync(_app);
        await _app.Services.GetRequiredService<CreditAdjustments>().AdjustAsync(user.Id, credits, "test", null, LedgerKinds.Grant, null);
        var created = await (await user.Session.PostAsJsonAsync("/api/v1/keys", new { name = "usage" })).JsonAsync();
        return (user, _app.CreateApiClient(created.GetProperty("key").GetString()), created.GetProperty("id").GetGuid());
    }

    private async Task<JsonElement> RenderToDoneAsync(HttpClient client)
    {
        var submit = await client.PostAsync("/api/v1/render", Api.Json(TwoSecondEdit));
        Assert.Equal(HttpStatusCode.Accepted, submit.StatusCode);
        var id = (await submit.JsonAsync()).GetProperty("id").GetGuid();
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var job = await (await client.GetAsync($"/api/v1/job/{id}")).JsonAsync();
            if (job.GetProperty("status").GetString() is "done" or "failed" || clock.Elapsed > TimeSpan.FromSeconds(60)) return job;
            await Task.Delay(100);
        }
    }

    /// <summary>Counts are added after each response; waits until the ones already answered are recorded.</summary>
    private async Task<long> RecordedRequestsAsync(Guid userId, Guid? keyId, long atLeast)
    {
        var counter = _app.Services.GetRequiredService<RequestCounter>();
        await using var db = _db.CreateDataSource();
        var clock = Stopwatch.StartNew();
        while (true)
        {
            await counter.FlushAsync(CancellationToken.None);
            await using var connection = await db.OpenConnectionAsync();
            var count = await connection.ExecuteScalarAsync<long>(
                "SELECT coalesce(sum(requests), 0) FROM usage_requests WHERE user_id = @userId AND (@keyId::uuid IS NULL OR key_id = @keyId)", new { userId, keyId });
            if (count >= atLeast || clock.Elapsed > TimeSpan.FromSeconds(5)) return count;
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Requests_AreCountedPerKeyAndDay_InBatches()
    {
        var (user, client, keyId) = await FundedUserAsync(1m);

        for (var i = 0; i < 7; i++) Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me")).StatusCode);

        Assert.Equal(7, await RecordedRequestsAsync(user.Id, keyId, 7));
        await Task.Delay(200);
        Assert.Equal(7, await RecordedRequestsAsync(user.Id, keyId, 8));
    }

    [Fact]
    public async Task Usage_ReportsTodaysRequestsJobsOutputAndCharges()
    {
        var (user, client, _) = await FundedUserAsync(2m);
        var job = await RenderToDoneAsync(client);
        Assert.Equal("done", job.GetProperty("status").GetString());
        var requests = await RecordedRequestsAsync(user.Id, null, 3);

        var report = await (await client.GetAsync($"/api/v1/usage?from={Today}&to={Today}")).JsonAsync();

        var day = Assert.Single(report.GetProperty("days").EnumerateArray());
        Assert.Equal(Today, day.GetProperty("date").GetString());
        Assert.Equal(requests, day.GetProperty("requests").GetInt64());
        var jobs = Assert.Single(day.GetProperty("jobs").EnumerateArray());
        Assert.Equal(("render", "done", 1), (jobs.GetProperty("kind").GetString(), jobs.GetProperty("status").GetString(), jobs.GetProperty("count").GetInt32()));
        Assert.InRange(day.GetProperty("outputSeconds").GetDouble(), 1.9, 2.1);
        Assert.Equal(0.10m, day.GetProperty("creditsCharged").GetDecimal());
        Assert.Equal(0.10m, report.GetProperty("totals").GetProperty("creditsCharged").GetDecimal());
    }

    [Fact]
    public async Task Usage_DefaultsToTheLast30Days_OldestFirst()
    {
        var user = await Api.RegisterAsync(_app);

        var report = await (await user.Session.GetAsync("/api/v1/usage")).JsonAsync();

        var days = report.GetProperty("days").EnumerateArray().Select(d => d.GetProperty("date").GetString()).ToList();
        Assert.Equal(30, days.Count);
        Assert.Equal(Today, days[^1]);
        Assert.Equal(DateTime.UtcNow.AddDays(-29).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), days[0]);
        Assert.Equal(0, report.GetProperty("totals").GetProperty("jobs").GetInt32());
    }

    [Theory]
    [InlineData("from=2026-02-10&to=2026-02-01", "from")]
    [InlineData("from=yesterday", "from")]
    [InlineData("from=2024-01-01&to=2026-01-01", "to")]
    public async Task Usage_WithABadRange_Answers400NamingTheParameter(string query, string field)
    {
        var user = await Api.RegisterAsync(_app);

        var problem = await Api.AssertProblemAsync(await user.Session.GetAsync($"/api/v1/usage?{query}"), HttpStatusCode.BadRequest, "validation");

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task AdminJobs_FilterByUser_AndAreForAdminsOnly()
    {
        var (user, client, _) = await FundedUserAsync(2m);
        await client.PostAsync("/api/v1/render", Api.Json(TwoSecondEdit));
        var other = await FundedUserAsync(2m);
        await other.Client.PostAsync("/api/v1/render", Api.Json(TwoSecondEdit));
        var admin = await Api.AdminSessionAsync(_app);

        var page = await (await admin.GetAsync($"/api/v1/admin/jobs?user={Uri.EscapeDataString(user.Email)}")).JsonAsync();

        var job = Assert.Single(page.GetProperty("data").EnumerateArray());
        Assert.Equal(user.Id, job.GetProperty("userId").GetGuid());
        await Api.AssertProblemAsync(await client.GetAsync("/api/v1/admin/jobs"), HttpStatusCode.Forbidden, "forbidden");
        await Api.AssertProblemAsync(await client.GetAsync("/api/v1/admin/spend"), HttpStatusCode.Forbidden, "forbidden");
    }

}
