using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Reelgate.Credits;
using Reelgate.Jobs;
using Reelgate.Rendering;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Integration;

/// <summary>An Edit too big for the local renderer is refused at submission, and many clips cost more than a few.</summary>
public sealed class RenderBudgetTests(TestDatabase db) : IClassFixture<TestDatabase>, IDisposable
{
    private readonly ReelgateFactory _app = new(db.ConnectionString, new Dictionary<string, string?> { ["roles"] = "api" });

    public void Dispose() => _app.Dispose();

    /// <summary>Title clips spread over tracks of at most 200 clips each, one second apiece.</summary>
    private static string TitlesEdit(int clips, string resolution = "sd")
    {
        var tracks = new StringBuilder();
        for (var first = 0; first < clips; first += 200)
        {
            if (tracks.Length > 0) tracks.Append(',');
            tracks.Append("{\"clips\":[");
            for (var i = first; i < Math.Min(clips, first + 200); i++)
            {
                if (i > first) tracks.Append(',');
                tracks.Append($$"""{"asset":{"type":"title","text":"{{i}}"},"start":{{i % 10}},"length":1}""");
            }
            tracks.Append("]}");
        }
        return $$$"""{"timeline":{"tracks":[{{{tracks}}}]},"output":{"format":"mp4","resolution":"{{{resolution}}}"}}""";
    }

    private async Task<HttpClient> FundedClientAsync(decimal credits)
    {
        var user = await Api.RegisterAsync(_app);
        await _app.Services.GetRequiredService<CreditAdjustments>().AdjustAsync(user.Id, credits, "test", null, LedgerKinds.Grant, null);
        return _app.CreateApiClient(await Api.CreateKeyAsync(user.Session));
    }

    [Fact]
    public async Task TenThousandClips_Is400NamingTheClipLimit_AndHoldsNothing()
    {
        var client = await FundedClientAsync(5m);

        var response = await client.PostAsync("/api/v1/render", Api.Json(TitlesEdit(10_000)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = (await response.JsonAsync()).GetProperty("errors").GetProperty("timeline.tracks")[0].GetString();
        Assert.Contains("10000 clips", message);
        Assert.Contains("limit of 400", message);
        var credits = await (await client.GetAsync("/api/v1/credits")).JsonAsync();
        Assert.Equal((5m, 0m), (credits.GetProperty("available").GetDecimal(), credits.GetProperty("held").GetDecimal()));
    }

    [Fact]
    public async Task ManyClipsAt4K_Is400NamingTheMemoryLimit()
    {
        var client = await FundedClientAsync(5m);

        var response = await client.PostAsync("/api/v1/render", Api.Json(TitlesEdit(100, "4k")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = (await response.JsonAsync()).GetProperty("errors").GetProperty("timeline")[0].GetString();
        Assert.Contains("MB of renderer memory", message);
        Assert.Contains("limit of 2048 MB", message);
    }

    [Fact]
    public async Task ManyClips_AreQuotedAtThePerClipFloor_NotTheTenSecondOutput()
    {
        var submission = _app.Services.GetRequiredService<RenderSubmission>();

        var quote = Assert.IsType<QuoteResult.Priced>(await submission.QuoteAsync(TitlesEdit(300), CancellationToken.None));

        Assert.Equal(10, quote.Seconds, 3);
        Assert.Equal(3.00m, quote.Credits);
    }

    [Theory]
    [InlineData(10, 0, 0.17)]
    [InlineData(10, 30, 0.30)]
    [InlineData(120, 30, 2.00)]
    [InlineData(0, 25, 0.25)]
    public void RenderPrice_IsTheLargerOfOutputMinutesAndTheClipFloor(double seconds, int clips, decimal expected) =>
        Assert.Equal(expected, Pricing.Render(seconds, still: seconds == 0, clips));

    [Fact]
    public void Budget_OfAnOrdinaryEdit_IsWithinEveryLimit()
    {
        var edit = EditParser.Parse(TitlesEdit(40, "1080")).Edit!;

        Assert.Empty(RenderBudget.Check(edit, RenderLimits.Default));
    }
}
