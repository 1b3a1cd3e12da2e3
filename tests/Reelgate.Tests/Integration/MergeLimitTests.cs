using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Reelgate.Credits;
using Reelgate.Jobs;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Integration;

/// <summary>Merges that grow an Edit past the configured size or nest it too deep are refused alike on every way in.</summary>
public sealed class MergeLimitTests(TestDatabase db) : IClassFixture<TestDatabase>, IDisposable
{
    private const decimal Credits = 5m;
    private readonly ReelgateFactory _app = new(db.ConnectionString, new Dictionary<string, string?>
    {
        ["roles"] = "api",
        ["Rendering:MaxMergedBytes"] = "10000",
    });

    public void Dispose() => _app.Dispose();

    private static string TitleEdit(string text, string replace) =>
        $$"""{"timeline":{"tracks":[{"clips":[{"asset":{"type":"title","text":"{{text}}"},"start":0,"length":1}]}]},"output":{"format":"mp4","resolution":"sd"},"merge":[{"find":"NAME","replace":{{replace}}}]}""";

    /// <summary>A hundred placeholders for 200 characters each: 20 KB once merged, over the 10 KB configured.</summary>
    private static readonly string TooLarge = TitleEdit(string.Concat(Enumerable.Repeat("{{ NAME }}", 100)), $"\"{new string('x', 200)}\"");

    /// <summary>The text sits inside seven objects and arrays, so 58 more levels pass 64.</summary>
    private static readonly string TooDeep = TitleEdit("{{ NAME }}", new string('[', 58) + new string(']', 58));

    public static TheoryData<string, string> Refused => new() { { TooLarge, "10000 bytes" }, { TooDeep, "64 levels" } };

    private async Task<Registered> UserWithCreditsAsync()
    {
        var user = await Api.RegisterAsync(_app);
        await _app.Services.GetRequiredService<CreditAdjustments>().AdjustAsync(user.Id, Credits, "test", null, LedgerKinds.Grant, null);
        return user;
    }

    private async Task AssertNothingChargedOrQueuedAsync(Guid userId)
    {
        var balance = await _app.Services.GetRequiredService<Ledger>().GetBalanceAsync(userId);
        Assert.Equal((Credits, 0m), (balance!.Available, balance.Held));
        Assert.Empty(await _app.Services.GetRequiredService<JobStore>().ListAsync(userId, null, null, null, 10, CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Render_WithAMergePastTheLimits_Returns400NamingMerge_AndChargesNothing(string edit, string limit)
    {
        var user = await UserWithCreditsAsync();

        var response = await user.Session.PostAsync("/api/v1/render", Api.Json(edit));

        var problem = await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation");
        Assert.Contains(limit, problem.GetProperty("errors").GetProperty("merge")[0].GetString(), StringComparison.Ordinal);
        await AssertNothingChargedOrQueuedAsync(user.Id);
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task ShotstackRender_WithAMergePastTheLimits_Returns400EnvelopeNamingMerge_AndChargesNothing(string edit, string limit)
    {
        var user = await UserWithCreditsAsync();
        var client = _app.CreateApiClient();
        client.DefaultRequestHeaders.Add("x-api-key", await Api.CreateKeyAsync(user.Session));

        var response = await client.PostAsync("/edit/v1/render", Api.Json(edit));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.JsonAsync()).GetProperty("response").GetProperty("error").GetString();
        Assert.StartsWith("merge: ", error, StringComparison.Ordinal);
        Assert.Contains(limit, error, StringComparison.Ordinal);
        await AssertNothingChargedOrQueuedAsync(user.Id);
    }

    [Theory]
    [InlineData("check")]
    [InlineData("render")]
    public async Task RenderPage_WithAMergePastTheSizeLimit_ShowsMerge_AndChargesNothing(string action)
    {
        var user = await UserWithCreditsAsync();
        var token = await WebForms.TokenAsync(user.Session, "/create/render");

        var response = await user.Session.PostAsync("/create/render", WebForms.Form(token, "render", ("Form.Json", TooLarge), ("Form.Action", action)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("10000 bytes", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await AssertNothingChargedOrQueuedAsync(user.Id);
    }
}
