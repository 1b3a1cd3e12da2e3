using Microsoft.Extensions.DependencyInjection;
using Reelgate.Credits;
using Reelgate.Jobs;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Integration;

public sealed class RenderQuoteTests(TestDatabase db) : IClassFixture<TestDatabase>, IDisposable
{
    private readonly ReelgateFactory _app = new(db.ConnectionString, new Dictionary<string, string?> { ["roles"] = "api" });

    public void Dispose() => _app.Dispose();

    private static string TitleEdit(int seconds) => $$$"""
        {"timeline":{"tracks":[{"clips":[{"asset":{"type":"title","text":"Quote"},"start":0,"length":{{{seconds}}}}]}]},
         "output":{"format":"mp4","resolution":"sd"}}
        """;

    [Fact]
    public async Task Quote_PricesLikeSubmit_WithoutHoldingCreditsOrQueueing()
    {
        var user = await Api.RegisterAsync(_app);
        await _app.Services.GetRequiredService<CreditAdjustments>().AdjustAsync(user.Id, 5m, "test", null, LedgerKinds.Grant, null);
        var submission = _app.Services.GetRequiredService<RenderSubmission>();

        var quote = Assert.IsType<QuoteResult.Priced>(await submission.QuoteAsync(TitleEdit(90), CancellationToken.None));

        Assert.Equal(1.50m, quote.Credits);
        Assert.Equal(90, quote.Seconds, 3);
        var balance = await _app.Services.GetRequiredService<Ledger>().GetBalanceAsync(user.Id);
        Assert.Equal((5m, 0m), (balance!.Available, balance.Held));
        Assert.Empty(await _app.Services.GetRequiredService<JobStore>().ListAsync(user.Id, null, null, null, 10, CancellationToken.None));
        var submitted = Assert.IsType<SubmitResult.Accepted>(await submission.SubmitAsync(user.Id, TitleEdit(90), CancellationToken.None));
        Assert.Equal(quote.Credits, submitted.Held);
    }

    [Fact]
    public async Task Quote_OfAnInvalidEdit_NamesTheJsonPath()
    {
        var submission = _app.Services.GetRequiredService<RenderSubmission>();

        var invalid = Assert.IsType<QuoteResult.Invalid>(await submission.QuoteAsync(TitleEdit(-1), CancellationToken.None));

        Assert.Contains("timeline.tracks[0].clips[0].length", invalid.Errors.Keys);
    }
}
