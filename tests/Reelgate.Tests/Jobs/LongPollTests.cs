using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Reelgate.Credits;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Jobs;

/// <summary>
/// Long polls on GET /api/v1/job/{id}. Both instances run the API only, so a job stays queued until the test
/// changes it; a change made through one instance wakes a poll waiting on the other.
/// </summary>
public sealed class LongPollTests : IClassFixture<TestDatabase>, IDisposable
{
    private static readonly Dictionary<string, string?> ApiOnly = new() { ["roles"] = "api" };
    private const string Edit = """
        {"timeline": {"tracks": [{"clips": [{"asset": {"type": "title", "text": "Hi"}, "start": 0, "length": 1}]}]},
         "output": {"format": "mp4", "size": {"width": 160, "height": 90}}}
        """;
    private readonly ReelgateFactory _a;
    private readonly ReelgateFactory _b;

    public LongPollTests(TestDatabase db)
    {
        _a = new ReelgateFactory(db.ConnectionString, ApiOnly);
        _b = new ReelgateFactory(db.ConnectionString, ApiOnly);
    }

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
    }

    private async Task<(HttpClient A, HttpClient B, Guid JobId)> QueuedJobAsync()
    {
        var user = await Api.RegisterAsync(_a);
        await _a.Services.GetRequiredService<CreditAdjustments>().AdjustAsync(user.Id, 5, "test", null, LedgerKinds.Grant, null);
        var key = await Api.CreateKeyAsync(user.Session);
        var a = _a.CreateApiClient(key);
        var b = _b.CreateApiClient(key);
        var submitted = await a.PostAsync("/api/v1/render", Api.Json(Edit));
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        return (a, b, (await submitted.JsonAsync()).GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Wait_AnswersAsSoonAsAnotherInstanceChangesTheStatus()
    {
        var (a, b, id) = await QueuedJobAsync();
        var clock = Stopwatch.StartNew();

        var poll = a.GetAsync($"/api/v1/job/{id}?wait=30&since=queued");
        await Task.Delay(700);
        Assert.False(poll.IsCompleted);
        Assert.Equal(HttpStatusCode.OK, (await b.PostAsync($"/api/v1/jobs/{id}/cancel", null)).StatusCode);
        var response = await poll;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("canceled", (await response.JsonAsync()).GetProperty("status").GetString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task PreferWait_WithoutSince_WaitsForTheNextChange_AndSaysItApplied()
    {
        var (a, b, id) = await QueuedJobAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/job/{id}");
        request.Headers.Add("Prefer", "wait=30");

        var poll = a.SendAsync(request);
        await Task.Delay(700);
        Assert.False(poll.IsCompleted);
        await b.PostAsync($"/api/v1/jobs/{id}/cancel", null);
        var response = await poll;

        Assert.Equal("canceled", (await response.JsonAsync()).GetProperty("status").GetString());
        Assert.Equal("wait=30", response.Headers.GetValues("Preference-Applied").Single());
    }

    [Fact]
    public async Task Wait_WithNoChange_AnswersTheCurrentJobAfterTheWait()
    {
        var (a, _, id) = await QueuedJobAsync();
        var clock = Stopwatch.StartNew();

        var response = await a.GetAsync($"/api/v1/job/{id}?wait=2&since=queued");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("queued", (await response.JsonAsync()).GetProperty("status").GetString());
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Wait_SinceAnotherStatus_AnswersAtOnce()
    {
        var (a, _, id) = await QueuedJobAsync();
        var clock = Stopwatch.StartNew();

        var response = await a.GetAsync($"/api/v1/job/{id}?wait=30&since=rendering");

        Assert.Equal("queued", (await response.JsonAsync()).GetProperty("status").GetString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Theory]
    [InlineData("wait=61", "wait")]
    [InlineData("wait=-1", "wait")]
    [InlineData("wait=abc", "wait")]
    [InlineData("wait=5&since=finished", "since")]
    public async Task Wait_OutOfRange_Returns400NamingTheField(string query, string field)
    {
        var (a, _, id) = await QueuedJobAsync();

        var problem = await Api.AssertProblemAsync(await a.GetAsync($"/api/v1/job/{id}?{query}"), HttpStatusCode.BadRequest, "validation");

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task Wait_OnAnotherUsersJob_Returns404WithoutWaiting()
    {
        var (_, _, id) = await QueuedJobAsync();
        var other = await Api.RegisterAsync(_a);
        using var client = _a.CreateApiClient(await Api.CreateKeyAsync(other.Session));
        var clock = Stopwatch.StartNew();

        await Api.AssertProblemAsync(await client.GetAsync($"/api/v1/job/{id}?wait=30"), HttpStatusCode.NotFound, "not-found");

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task ManyWaits_AllWake_OnOneChange()
    {
        var (a, b, id) = await QueuedJobAsync();

        var polls = Enumerable.Range(0, 50).Select(_ => a.GetAsync($"/api/v1/job/{id}?wait=30&since=queued")).ToList();
        await Task.Delay(1000);
        await b.PostAsync($"/api/v1/jobs/{id}/cancel", null);
        var clock = Stopwatch.StartNew();
        var responses = await Task.WhenAll(polls);

        foreach (var response in responses)
        {
            Assert.Equal("canceled", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
        }
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }
}
