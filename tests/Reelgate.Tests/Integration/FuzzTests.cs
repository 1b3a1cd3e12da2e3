using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Reelgate.Credits;
using Reelgate.Fetch;
using Reelgate.Jobs;
using Reelgate.Tests.Fetch;
using Reelgate.Tests.Integration.Fuzz;
using Reelgate.Tests.Providers;
using Microsoft.Extensions.Logging;
using Reelgate.Tests.Support;
using Xunit.Abstractions;

namespace Reelgate.Tests.Integration;

/// <summary>
/// A few hundred seeded mutations of valid bodies for every write endpoint. Whatever arrives, the answer is a 2xx or a
/// 4xx problem, never a 5xx, and a refusal leaves the caller's credits as they were.
/// </summary>
public sealed class FuzzTests(TestDatabase db, ITestOutputHelper output) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    /// <summary>Fixed so that a failure reproduces; set <see cref="SeedVariable"/> to explore other corners.</summary>
    public const int DefaultSeed = 20_250_611;
    public const string SeedVariable = "REELGATE_FUZZ_SEED";
    private const decimal Funds = 100_000m;

    private readonly ServerErrorLog _errors = new();
    private ReelgateFactory _factory = null!;
    private WebApplicationFactory<Program> _app = null!;
    private TestHttpServer _media = null!;
    private HttpClient _client = null!;
    private FuzzInputs _inputs = null!;

    public async Task InitializeAsync()
    {
        var png = await File.ReadAllBytesAsync(await TestMedia.ImageAsync());
        var mp4 = await File.ReadAllBytesAsync(await TestMedia.VideoAsync());
        var mp3 = await File.ReadAllBytesAsync(await TestMedia.AudioAsync());
        _media = await TestHttpServer.StartAsync(app =>
        {
            app.MapGet("/still.png", () => Results.Bytes(png, "image/png"));
            app.MapGet("/clip.mp4", () => Results.Bytes(mp4, "video/mp4"));
            app.MapGet("/tone.mp3", () => Results.Bytes(mp3, "audio/mpeg"));
        });
        _factory = new ReelgateFactory(db.ConnectionString, new Dictionary<string, string?>
        {
            ["roles"] = "api",
            ["RateLimit:Requests"] = "100000",
            ["Jobs:MaxActivePerUser"] = "100000",
        });
        // Only 127.0.0.1, where the media server listens, may be fetched: every other address, private or public, is refused.
        _app = _factory.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
        {
            s.Replace(ServiceDescriptor.Singleton<IAddressPolicy>(new SingleAddressPolicy(IPAddress.Loopback)));
            s.AddSingleton<ILoggerProvider>(_errors);
        }));
        var (userId, key) = await UserAsync();
        await _app.Services.GetRequiredService<CreditAdjustments>().AdjustAsync(userId, Funds, "fuzz", null, LedgerKinds.Grant, null);
        _client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var (_, otherKey) = await UserAsync();
        using var other = _app.CreateClient();
        other.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", otherKey);
        var code = (await (await other.GetAsync("/api/v1/me")).JsonAsync()).GetProperty("referralCode").GetString()!;
        using var form = new MultipartFormDataContent { { new ByteArrayContent(png) { Headers = { ContentType = new("image/png") } }, "file", "still.png" } };
        var upload = (await (await _client.PostAsync("/api/v1/uploads", form)).JsonAsync()).GetProperty("id").GetGuid();
        _inputs = new FuzzInputs(_media.BaseAddress.ToString(), upload, code, png);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _media.DisposeAsync();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task UnmutatedBodies_AreAccepted_SoMutationsStartFromValidRequests()
    {
        var requests = FuzzCorpus.Unmutated(_inputs);

        var outcomes = await SendAllAsync(requests);

        var refused = outcomes.Where(o => o.Status is < 200 or >= 300 || o.Problem is not null).ToList();
        Assert.True(refused.Count == 0, string.Join("\n\n", refused.Select(o => o.Describe())));
    }

    [Fact]
    public async Task MutatedBodies_OnEveryWriteEndpoint_Answer4xxProblems_AndRefusalsLeaveCreditsAlone()
    {
        var seed = Seed();
        var requests = FuzzCorpus.Mutations(seed, _inputs);
        var clock = Stopwatch.StartNew();

        var outcomes = await SendAllAsync(requests);

        output.WriteLine($"seed {seed}: {requests.Count} requests in {clock.Elapsed.TotalSeconds:0.0} s");
        foreach (var group in outcomes.GroupBy(o => o.Request.Category).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"  {group.Key,-32} {string.Join(" ", group.GroupBy(o => o.Status).OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Count()}"))}");
        }
        var failures = outcomes.Where(o => o.Problem is not null).ToList();
        Assert.True(failures.Count == 0, FailureReport(seed, requests.Count, failures));
    }

    [Fact]
    public async Task MutatedEdits_AreQuotedOrRefused_WithoutThrowing()
    {
        // The web app's price check calls the quote directly; there is no HTTP route to it.
        var submission = _app.Services.GetRequiredService<RenderSubmission>();
        var edits = FuzzCorpus.Mutations(Seed(), _inputs).Where(r => FuzzCorpus.EditPaths.Contains(r.Path)).ToList();
        var failures = new List<string>();

        foreach (var (request, index) in edits.Select((r, i) => (r, i)))
        {
            foreach (var provider in new[] { "local", "shotstack" })
            {
                try
                {
                    var quote = await submission.QuoteAsync(FuzzCorpus.Text(request), CancellationToken.None, provider);
                    if (quote is QuoteResult.Invalid { Errors.Count: 0 } or QuoteResult.Priced { Credits: <= 0 }) failures.Add($"#{index} {provider}: {quote} for {request}");
                }
                catch (Exception ex)
                {
                    failures.Add($"#{index} {provider}: {ex.GetType().Name}: {ex.Message}\n  {request}");
                }
            }
        }

        Assert.True(failures.Count == 0, $"seed {Seed()}: {failures.Count} of {edits.Count * 2} quotes failed\n" + string.Join("\n\n", failures.Take(20)));
    }


    private static int Seed() =>
        int.TryParse(Environment.GetEnvironmentVariable(SeedVariable), out var seed) ? seed : DefaultSeed;

    private async Task<List<FuzzOutcome>> SendAllAsync(List<FuzzRequest> requests)
    {
        var outcomes = new List<FuzzOutcome>();
        var credits = await CreditsAsync();
        for (var i = 0; i < requests.Count; i++)
        {
            var request = requests[i];
            var mark = _errors.Count;
            using var response = await _client.SendAsync(request.ToMessage());
            var status = (int)response.StatusCode;
            var body = await response.Content.ReadAsStringAsync();
            var problem = status switch
            {
                >= 500 => "server error",
                >= 400 => RefusalProblem(request, response, body),
                >= 200 and < 300 => null,
                _ => "neither a success nor a refusal",
            };
            var expected = status is >= 200 and < 300 ? await AfterSuccessAsync(credits, request, body) : credits;
            var after = await CreditsAsync();
            if (after != expected) problem ??= $"credits went from {credits} to {after}; expected {expected}";
            credits = after;
            outcomes.Add(new FuzzOutcome(i, request, status, body, problem, _errors.Since(mark)));
        }
        return outcomes;
    }

    /// <summary>Refusals are problems; the Shotstack routes answer in Shotstack's envelope instead, as its SDKs expect.</summary>
    private static string? RefusalProblem(FuzzRequest request, HttpResponseMessage response, string body)
    {
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        var shotstack = !request.Path.StartsWith("/api/", StringComparison.Ordinal);
        try
        {
            var json = JsonDocument.Parse(body).RootElement;
            if (shotstack && mediaType == "application/json")
            {
                return json.GetProperty("success").GetBoolean() == false && json.GetProperty("response").GetProperty("error").GetString() is { Length: > 0 }
                    ? null
                    : "not a Shotstack error envelope";
            }
            if (mediaType != "application/problem+json") return $"answered {mediaType ?? "no content type"}, not application/problem+json";
            if (json.GetProperty("status").GetInt32() != (int)response.StatusCode) return "the problem's status differs from the response's";
            return json.GetProperty("type").GetString()?.StartsWith("/problems/", StringComparison.Ordinal) == true ? null : "the problem has no /problems/ type";
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return $"the refusal's body is not the expected JSON ({ex.Message})";
        }
    }

    /// <summary>A new job holds its price; a redeemed referral grants credits; nothing else changes the balance.</summary>
    private async Task<Balance> AfterSuccessAsync(Balance before, FuzzRequest request, string body)
    {
        var json = JsonDocument.Parse(body).RootElement;
        decimal held = 0, granted = 0;
        if (request.Path.StartsWith("/api/v1/render", StringComparison.Ordinal) || request.Path == "/api/v1/generate")
        {
            held = json.GetProperty("credits").GetProperty("held").GetDecimal();
        }
        else if (FuzzCorpus.EditPaths.Contains(request.Path))
        {
            var job = await (await _client.GetAsync($"/api/v1/job/{json.GetProperty("response").GetProperty("id").GetGuid()}")).JsonAsync();
            held = job.GetProperty("credits").GetProperty("held").GetDecimal();
        }
        else if (request.Path == "/api/v1/credits/redeem-referral")
        {
            granted = json.GetProperty("granted").GetDecimal();
        }
        return new Balance(before.Available - held + granted, before.Held + held);
    }

    private async Task<Balance> CreditsAsync()
    {
        var credits = await (await _client.GetAsync("/api/v1/credits")).JsonAsync();
        return new Balance(credits.GetProperty("available").GetDecimal(), credits.GetProperty("held").GetDecimal());
    }

    private async Task<(Guid Id, string Key)> UserAsync()
    {
        using var session = _app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        var registered = await session.PostAsync("/api/v1/auth/register",
            Api.Json($$"""{"email":"fuzz-{{Guid.NewGuid():N}}@example.com","password":"correct horse battery"}"""));
        var id = (await registered.JsonAsync()).GetProperty("id").GetGuid();
        var key = (await (await session.PostAsync("/api/v1/keys", Api.Json("""{"name":"fuzz"}"""))).JsonAsync()).GetProperty("key").GetString()!;
        return (id, key);
    }

    private static string FailureReport(int seed, int count, List<FuzzOutcome> failures)
    {
        var folder = Path.Combine(Path.GetTempPath(), "reelgate-fuzz", seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        foreach (var failure in failures) File.WriteAllBytes(Path.Combine(folder, $"{failure.Index}.body"), failure.Request.Body);
        var report = new StringBuilder($"seed {seed} ({SeedVariable}): ");
        report.Append($"{failures.Count} of {count} requests broke the contract; their bodies are in {folder}\n");
        report.Append($"by category: {string.Join(", ", failures.GroupBy(f => f.Request.Category).Select(g => $"{g.Key} {g.Count()}"))}\n\n");
        report.AppendJoin("\n\n", failures.OrderByDescending(f => f.Status >= 500).Take(25).Select(f => f.Describe()));
        return report.ToString();
    }

    private sealed record Balance(decimal Available, decimal Held)
    {
        public override string ToString() => $"{Available} available, {Held} held";
    }

    private sealed record FuzzOutcome(int Index, FuzzRequest Request, int Status, string ResponseBody, string? Problem, string ServerErrors)
    {
        public string Describe() =>
            $"#{Index} {Status} {Problem}\n  request  {Request}\n  response {ResponseBody[..Math.Min(ResponseBody.Length, 600)]}"
            + (ServerErrors.Length > 0 ? $"\n  logged   {ServerErrors}" : "");
    }
}
