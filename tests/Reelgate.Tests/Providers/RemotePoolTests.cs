using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Web;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Reelgate.Credits;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Providers;

/// <summary>
/// Remote jobs hold no worker between their short steps: one process with two local slots carries hundreds to the
/// upstream at once, limits hold across instances, callbacks finish jobs at once, and a killed process loses nothing.
/// </summary>
public sealed class RemotePoolTests : IAsyncLifetime
{
    // Each test has a database of its own: jobs a test leaves in flight must never reach another test's upstream.
    private readonly TestDatabase db = new();

    public Task InitializeAsync() => db.InitializeAsync();

    public Task DisposeAsync() => db.DisposeAsync();

    private static readonly Dictionary<string, string?> Busy = new()
    {
        ["Jobs:WorkerConcurrency"] = "2",
        // Fewer steps at once than the default keeps these tests' connections well inside the shared server's limit.
        ["Jobs:RemoteConcurrency"] = "64",
        ["Jobs:MaxActivePerUser"] = "10000",
        ["Providers:Shotstack:MaxRequestsPerSecond"] = "100000",
    };

    private static string Edit(int marker) => $$$"""
        {"timeline": {"tracks": [{"clips": [{"asset": {"type": "title", "text": "render {{{marker}}}"}, "start": 0, "length": 1}]}]},
         "output": {"format": "mp4", "resolution": "sd"}}
        """;

    private static Dictionary<string, string?> With(params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?>(Busy);
        foreach (var (key, value) in more) settings[key] = value;
        return settings;
    }

    [Fact]
    public async Task TwoHundredRemoteRenders_OnTwoLocalSlots_AllReachTheUpstreamAtOnce_AndEachIsChargedOnce()
    {
        await using var shotstack = await FakeShotstack.StartAsync();
        shotstack.StepDelay = TimeSpan.FromSeconds(1.25);
        await using var app = ProviderApp.Create(db.ConnectionString, [shotstack], With());
        var user = await ProviderApp.FundedUserAsync(app, 100);
        var submittedAt = new ConcurrentBag<DateTime>();

        var ids = await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
        {
            var id = await SubmitAsync(user.Session, i);
            submittedAt.Add(DateTime.UtcNow);
            return id;
        }));

        var arrived = await UntilAsync(() => shotstack.SubmitCalls >= 200, TimeSpan.FromSeconds(30));
        Assert.True(arrived, $"{shotstack.SubmitCalls} of 200 reached the upstream");
        List<DateTime> reached;
        lock (shotstack.SubmitTimes) reached = [.. shotstack.SubmitTimes];
        // Held slots would take minutes (200 renders of several seconds on two slots); the bound leaves room for a busy machine.
        Assert.True(reached.Max() - submittedAt.Max() < TimeSpan.FromSeconds(10), $"the last reached the upstream {reached.Max() - submittedAt.Max()} after the last submit");
        Assert.True(shotstack.PeakInFlight >= 150, $"only {shotstack.PeakInFlight} were in flight upstream at once");
        await AllFinalAsync(user.Session, ids, TimeSpan.FromSeconds(90));
        await AssertAllDoneAndChargedOnceAsync(app, user, ids);
        Assert.Equal(200, shotstack.SubmitCalls);
    }

    [Fact]
    public async Task RequestsToAProvider_StayWithinItsRequestsPerSecond_AndEveryJobStillEnds()
    {
        await using var shotstack = await FakeShotstack.StartAsync();
        await using var app = ProviderApp.Create(db.ConnectionString, [shotstack], With(("Providers:Shotstack:MaxRequestsPerSecond", "5")));
        var user = await ProviderApp.FundedUserAsync(app, 20);

        var ids = await Task.WhenAll(Enumerable.Range(0, 15).Select(i => SubmitAsync(user.Session, i)));
        await AllFinalAsync(user.Session, ids, TimeSpan.FromSeconds(60));

        var times = shotstack.RequestTimes.Order().ToList();
        // The bucket holds one second of requests and refills at 5 a second, so any 2 s of claims take at most 5 + 10.
        // Three more allow for requests that leave later than claimed (the first ones wait for connections) and so
        // arrive closer together; without the quota, the 15 jobs' requests all arrive within a second.
        var busiest = times.Max(start => times.Count(t => t >= start && t < start.AddSeconds(2)));
        Assert.True(busiest <= 18, $"{busiest} requests reached Shotstack within 2 s");
        Assert.True(times.Count >= 30, $"only {times.Count} requests: each job makes a submit and a status read");
        Assert.True(times[^1] - times[0] >= TimeSpan.FromSeconds((times.Count - 5) / 5.0 - 1),
            $"{times.Count} requests within {(times[^1] - times[0]).TotalSeconds:0.00} s");
        await AssertAllDoneAndChargedOnceAsync(app, user, ids);
    }

    [Fact]
    public async Task AProcessKilledWhileJobsAreParked_IsFinishedByAnother_WhichNeverSubmitsAJobTwice()
    {
        await using var shotstack = await FakeShotstack.StartAsync();
        shotstack.StepDelay = TimeSpan.FromSeconds(2);
        var settings = new Dictionary<string, string>
        {
            ["SHOTSTACK_API_KEY"] = FakeShotstack.ApiKey, ["SHOTSTACK_API_URL"] = shotstack.EditApi.ToString(),
            ["Providers__Shotstack__PollInterval"] = "00:00:00.500", ["Providers__Shotstack__MaxRequestsPerSecond"] = "100000",
            ["Jobs__WorkerConcurrency"] = "2", ["MAX_CONCURRENT_JOBS"] = "10000", ["RATE_LIMIT_REQUESTS"] = "100000",
            ["Jobs__HeartbeatInterval"] = "00:00:00.500", ["Jobs__WorkerTimeout"] = "00:00:03",
        };
        var port = ReelgateProcess.FreePort();
        settings["Providers__PublicBaseUrl"] = $"http://127.0.0.1:{port}";
        var first = await ReelgateProcess.StartAsync(db.ConnectionString, settings, port);
        await using var app = ProviderApp.Create(db.ConnectionString, [shotstack], With(("roles", "api")));
        var user = await ProviderApp.FundedUserAsync(app, 100);
        // Callbacks go to the first process while it lives, then to the second.
        var firstAlive = true;
        await using var second = ProviderApp.Create(db.ConnectionString, [shotstack], With(
            ("roles", "worker"), ("Providers:Shotstack:PollInterval", "00:00:00.500"), ("Jobs:WorkerTimeout", "00:00:03"),
            ("Providers:UnconfirmedSubmitTimeout", "00:00:20")));
        ProviderApp.RouteCallbacks(second, [shotstack]);
        var toSecond = shotstack.Deliver;
        shotstack.Deliver = async (url, body) =>
        {
            if (!Volatile.Read(ref firstAlive)) return await toSecond(url, body);
            using var http = new HttpClient();
            using var response = await http.PostAsync(first.BaseUrl + new Uri(url).PathAndQuery, Api.Json(body));
            return (int)response.StatusCode;
        };

        var ids = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => SubmitAsync(user.Session, i)));
        HashSet<Guid> markedAtKill;
        Assert.True(await UntilAsync(async () => await ParkedCountAsync() >= 100, TimeSpan.FromSeconds(30)),
            $"fewer than 100 jobs were parked upstream ({shotstack.SubmitCalls} submitted)");
        await first.KillAsync();
        Volatile.Write(ref firstAlive, false);
        await using (var atKill = new NpgsqlConnection(db.ConnectionString))
        {
            markedAtKill = (await atKill.QueryAsync<Guid>("SELECT id FROM jobs WHERE upstream_submitted_at IS NOT NULL AND upstream_id IS NULL")).ToHashSet();
        }
        _ = second.Services;

        await AllFinalAsync(user.Session, ids, TimeSpan.FromSeconds(120));
        var postsPerJob = shotstack.Jobs.Values.GroupBy(job => Guid.Parse(HttpUtility.ParseQueryString(new Uri(job.Callback!).Query)["job"]!)).ToList();
        Assert.All(postsPerJob, group => Assert.Single(group));
        var received = postsPerJob.Select(group => group.Key).ToArray();
        // A submit whose connection died with the process (its body on the wire, its mark committed) may never have
        // reached the upstream. It is not submitted again: it fails once the upstream has had its time to confirm it,
        // and its credits are released. Only those marked and unanswered at the kill can be such: how many that is
        // depends on how many submits were on the wire at that moment.
        var unconfirmed = ids.Except(received).ToArray();
        Assert.All(unconfirmed, id => Assert.Contains(id, markedAtKill));
        Assert.True(unconfirmed.Length <= 100, $"{unconfirmed.Length} jobs never reached the upstream");
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        var notDone = (await connection.QueryAsync<string>("""
            SELECT j.id || ' ' || j.status || ' ' || coalesce(j.error_code, '') || ' ' || coalesce(j.error_message, '') || ' events: '
                   || (SELECT string_agg(e.at || ' ' || e.message, ' | ' ORDER BY e.id) FROM job_events e WHERE e.job_id = j.id)
            FROM jobs j WHERE j.id = ANY(@received) AND j.status <> 'done'
            """, new { received })).ToList();
        Assert.True(notDone.Count == 0, string.Join("\n", notDone));
        await AssertAllDoneAndChargedOnceAsync(app, user, received);
        var failures = (await connection.QueryAsync<string>("SELECT error_code FROM jobs WHERE id = ANY(@unconfirmed)", new { unconfirmed })).ToList();
        Assert.All(failures, code => Assert.Equal("upstream-unknown", code));
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM credit_ledger WHERE job_id = ANY(@unconfirmed) AND kind = 'capture'", new { unconfirmed }));
        await first.DisposeAsync();
    }

    [Fact]
    public async Task MaxInFlightOfThree_HoldsAcrossTwoInstances_AndTheRestRunAfterwards()
    {
        await using var shotstack = await FakeShotstack.StartAsync();
        shotstack.StepDelay = TimeSpan.FromMilliseconds(300);
        var limited = With(("Providers:Shotstack:MaxInFlight", "3"));
        await using var one = ProviderApp.Create(db.ConnectionString, [shotstack], limited);
        await using var two = ProviderApp.Create(db.ConnectionString, [shotstack], limited);
        _ = two.Services;
        var user = await ProviderApp.FundedUserAsync(one, 10);

        var ids = await Task.WhenAll(Enumerable.Range(0, 15).Select(i => SubmitAsync(user.Session, i)));
        await AllFinalAsync(user.Session, ids, TimeSpan.FromSeconds(90));

        Assert.Equal(15, shotstack.SubmitCalls);
        Assert.InRange(shotstack.PeakInFlight, 1, 3);
        await AssertAllDoneAndChargedOnceAsync(one, user, ids);
    }

    [Fact]
    public async Task OverTheLimit_UsersTakeTurns_SoOneUsersBurstDoesNotStarveAnother()
    {
        await using var shotstack = await FakeShotstack.StartAsync();
        shotstack.StepDelay = TimeSpan.FromMilliseconds(300);
        await using var app = ProviderApp.Create(db.ConnectionString, [shotstack], With(("Providers:Shotstack:MaxInFlight", "1"), ("roles", "api")));
        var bursty = await ProviderApp.FundedUserAsync(app, 10);
        var patient = await ProviderApp.FundedUserAsync(app, 10);
        foreach (var i in Enumerable.Range(0, 6)) await SubmitAsync(bursty.Session, i);
        var late = await SubmitAsync(patient.Session, 100);

        await using var worker = ProviderApp.Create(db.ConnectionString, [shotstack], With(("Providers:Shotstack:MaxInFlight", "1"), ("roles", "worker")));
        _ = worker.Services;
        await ProviderApp.FinalAsync(patient.Session, late, 60);

        var order = shotstack.Jobs.Values.OrderBy(job => job.CreatedAt).Select(job => JsonDocument.Parse(job.Request).RootElement
            .GetProperty("timeline").GetProperty("tracks")[0].GetProperty("clips")[0].GetProperty("asset").GetProperty("text").GetString()).ToList();
        Assert.True(order.IndexOf("render 100") <= 1, $"the other user's job went upstream in place {order.IndexOf("render 100")}: {string.Join(", ", order)}");
    }

    [Fact]
    public async Task ACallback_FinishesItsJobInSeconds_ThoughPollingIsTenMinutesApart()
    {
        await using var shotstack = await FakeShotstack.StartAsync();
        shotstack.StepDelay = TimeSpan.FromMilliseconds(400);
        await using var app = ProviderApp.Create(db.ConnectionString, [shotstack], With(("Providers:Shotstack:PollInterval", "00:10:00")));
        var delivered = new ConcurrentQueue<DateTime>();
        var deliver = shotstack.Deliver;
        shotstack.Deliver = async (url, body) =>
        {
            delivered.Enqueue(DateTime.UtcNow);
            return await deliver(url, body);
        };
        var user = await ProviderApp.FundedUserAsync(app, 1);

        var id = await SubmitAsync(user.Session, 1);
        var job = await ProviderApp.FinalAsync(user.Session, id, 30);

        Assert.Equal("done", job.GetProperty("status").GetString());
        var finished = job.GetProperty("completedAt").GetDateTime().ToUniversalTime();
        Assert.True(delivered.TryPeek(out var callback), "no callback was sent");
        // Polling alone would take ten minutes; the bound leaves room for a busy machine.
        Assert.True(finished - callback < TimeSpan.FromSeconds(5), $"done {finished - callback} after the callback at {callback:O}: {job.GetProperty("events")}");
    }

    [Fact]
    public async Task AParkedJob_IsCheckedWhenItFallsDue_ThoughThePollersOwnWaitIsTenMinutes()
    {
        await using var shotstack = await FakeShotstack.StartAsync();
        shotstack.SendCallbacks = false;
        await using var app = ProviderApp.Create(db.ConnectionString, [shotstack],
            With(("Jobs:PollInterval", "00:10:00"), ("Providers:Shotstack:PollInterval", "00:00:00.300")));
        var user = await ProviderApp.FundedUserAsync(app, 1);

        // Each park sets a check a few hundred milliseconds away, sooner than the poller's wait: the step that parks it wakes the poller.
        var job = await ProviderApp.FinalAsync(user.Session, await SubmitAsync(user.Session, 1), 60);

        Assert.Equal("done", job.GetProperty("status").GetString());
        Assert.Empty(shotstack.Callbacks);
        var took = job.GetProperty("completedAt").GetDateTime() - job.GetProperty("createdAt").GetDateTime();
        Assert.True(took < TimeSpan.FromSeconds(30), $"took {took}: {job.GetProperty("events")}");
    }

    [Theory]
    [InlineData("runpod")]
    [InlineData("runway")]
    public async Task CancelingAParkedGeneration_CancelsItUpstream_AndReleasesItsCreditsOnce(string provider)
    {
        FakeUpstream fake = provider == "runpod" ? await FakeRunPod.StartAsync() : await FakeRunway.StartAsync();
        await using var _ = fake;
        fake.StepDelay = TimeSpan.FromSeconds(30);
        await using var app = ProviderApp.Create(db.ConnectionString, [fake], With(($"Providers:{(provider == "runpod" ? "RunPod" : "Runway")}:PollInterval", "00:00:05")));
        var user = await ProviderApp.FundedUserAsync(app, 1);
        var id = await ProviderApp.SubmitAsync(user.Session, "/api/v1/generate",
            new { prompt = "a lighthouse at dusk", durationSec = 5, provider, imageUrl = (string?)null });
        Assert.True(await UntilAsync(() => !fake.Jobs.IsEmpty, TimeSpan.FromSeconds(20)), "nothing was submitted upstream");
        Assert.True(await UntilAsync(async () => await IsParkedAsync(id), TimeSpan.FromSeconds(10)), "the job was never parked");

        var canceled = await user.Session.PostAsync($"/api/v1/jobs/{id}/cancel", null);

        Assert.Equal(HttpStatusCode.OK, canceled.StatusCode);
        var upstream = fake.Jobs.Values.Single();
        Assert.True(await UntilAsync(() => upstream.Canceled, TimeSpan.FromSeconds(10)), "the upstream job was not canceled");
        Assert.Equal(1m, (await ProviderApp.CreditsAsync(user.Session)).GetProperty("available").GetDecimal());
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM credit_ledger WHERE job_id = @id AND kind = 'release'", new { id }));
    }

    [Fact]
    public async Task AStatusThatMoved_IsWrittenWithItsPark_WithAnEventOnlyWhenOursMoves_AndALostLeaseWritesNothing()
    {
        await using var shotstack = await FakeShotstack.StartAsync();
        // An API-only instance: no poller claims the job, so the test takes each step's place.
        await using var app = ProviderApp.Create(db.ConnectionString, [shotstack], With(("roles", "api")));
        var user = await ProviderApp.FundedUserAsync(app, 1);
        var id = await SubmitAsync(user.Session, 1);
        var remote = app.Services.GetRequiredService<Reelgate.Jobs.RemoteQueue>();
        var worker = Guid.NewGuid();
        var job = Assert.Single((await remote.ClaimAsync("shotstack", worker, 10, 0, 0, CancellationToken.None)).Jobs);

        await remote.ParkAsync(job, worker, TimeSpan.Zero, 1, new Reelgate.Jobs.StatusMove("rendering", 0.45, "rendering", "shotstack: rendering"), CancellationToken.None);
        var again = Assert.Single((await remote.ClaimAsync("shotstack", worker, 10, 0, 0, CancellationToken.None)).Jobs);
        await remote.ParkAsync(again, Guid.NewGuid(), TimeSpan.Zero, 1, new Reelgate.Jobs.StatusMove("saving", 0.9, "saving", "shotstack: saving"), CancellationToken.None);

        await using var connection = new NpgsqlConnection(db.ConnectionString);
        const string Read = "SELECT status, upstream_status, progress, lease_owner FROM jobs WHERE id = @id";
        var row = await connection.QuerySingleAsync<(string Status, string UpstreamStatus, float Progress, Guid? Owner)>(Read, new { id });
        Assert.Equal(("rendering", "rendering"), (row.Status, row.UpstreamStatus));
        Assert.Equal(0.45f, row.Progress, 3);
        // The second park came from a worker that no longer held the lease: the job stays leased to the first.
        Assert.Equal(worker, row.Owner);

        // An upstream word that moves while ours stays is written without an event.
        await remote.ParkAsync(again, worker, TimeSpan.FromMinutes(1), 1, new Reelgate.Jobs.StatusMove("rendering-late", 0.6, null, null), CancellationToken.None);

        row = await connection.QuerySingleAsync<(string Status, string UpstreamStatus, float Progress, Guid? Owner)>(Read, new { id });
        Assert.Equal(("rendering", "rendering-late", (Guid?)null), (row.Status, row.UpstreamStatus, row.Owner));
        var events = (await connection.QueryAsync<string>("SELECT message FROM job_events WHERE job_id = @id ORDER BY id", new { id })).AsList();
        Assert.Single(events, message => message.StartsWith("shotstack:", StringComparison.Ordinal));
        Assert.Contains("shotstack: rendering", events);
    }

    private async Task<bool> IsParkedAsync(Guid id)
    {
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        return await connection.ExecuteScalarAsync<bool>(
            "SELECT upstream_id IS NOT NULL AND lease_owner IS NULL AND run_after > now() FROM jobs WHERE id = @id", new { id });
    }

    private async Task<int> ParkedCountAsync()
    {
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        return await connection.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM jobs WHERE provider = 'shotstack' AND upstream_id IS NOT NULL AND status IN ('queued', 'fetching', 'rendering', 'saving')");
    }

    private static async Task<Guid> SubmitAsync(HttpClient client, int marker)
    {
        var response = await client.PostAsync("/api/v1/render?provider=shotstack", Api.Json(Edit(marker)));
        var body = await response.JsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {body}");
        return body.GetProperty("id").GetGuid();
    }

    private async Task AllFinalAsync(HttpClient client, IReadOnlyCollection<Guid> ids, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var done = await CountFinalAsync(client);
            if (done >= ids.Count) return;
            if (clock.Elapsed > timeout) throw new TimeoutException($"{done} of {ids.Count} jobs ended; unfinished: {await UnfinishedAsync()}");
            await Task.Delay(250);
        }
    }

    private async Task<string> UnfinishedAsync()
    {
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        var rows = await connection.QueryAsync<string>("""
            SELECT j.id || ' ' || j.status || ' upstream=' || coalesce(j.upstream_id, '-') || ' submitted=' || coalesce(j.upstream_submitted_at::text, '-')
                   || ' lease=' || coalesce(j.lease_owner::text, '-') || ' due=' || j.run_after || ' events: '
                   || (SELECT string_agg(e.at || ' ' || e.message, ' | ' ORDER BY e.id) FROM job_events e WHERE e.job_id = j.id)
            FROM jobs j WHERE j.status IN ('queued', 'fetching', 'rendering', 'saving') LIMIT 5
            """);
        return string.Join("\n", rows);
    }

    private static async Task<int> CountFinalAsync(HttpClient client)
    {
        var count = 0;
        foreach (var status in new[] { "done", "failed", "canceled" })
        {
            string? cursor = null;
            do
            {
                var page = await (await client.GetAsync($"/api/v1/jobs?limit=100&status={status}{(cursor is null ? "" : "&cursor=" + cursor)}")).JsonAsync();
                count += page.GetProperty("data").GetArrayLength();
                cursor = page.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
            }
            while (cursor is not null);
        }
        return count;
    }

    private static async Task AssertAllDoneAndChargedOnceAsync(ReelgateFactory app, Registered user, IReadOnlyCollection<Guid> ids)
    {
        await using var connection = app.Services.GetRequiredService<NpgsqlDataSource>().CreateConnection();
        var statuses = (await connection.QueryAsync<string>("SELECT status FROM jobs WHERE id = ANY(@ids)", new { ids = ids.ToArray() })).ToList();
        Assert.Equal(ids.Count, statuses.Count(status => status == "done"));
        var captures = await connection.QueryAsync<(Guid JobId, int Count)>(
            "SELECT job_id, count(*)::int FROM credit_ledger WHERE job_id = ANY(@ids) AND kind = 'capture' GROUP BY job_id", new { ids = ids.ToArray() });
        Assert.Equal(ids.Count, captures.Count(row => row.Count == 1));
        Assert.True((await app.Services.GetRequiredService<LedgerVerifier>().VerifyAsync()).Ok);
        var credits = await ProviderApp.CreditsAsync(user.Session);
        Assert.Equal(0m, credits.GetProperty("held").GetDecimal());
    }

    private static async Task<bool> UntilAsync(Func<bool> condition, TimeSpan timeout) => await UntilAsync(() => Task.FromResult(condition()), timeout);

    private static async Task<bool> UntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout) return false;
            await Task.Delay(50);
        }
        return true;
    }
}
