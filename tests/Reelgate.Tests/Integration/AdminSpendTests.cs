using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Reelgate.Accounts;
using Reelgate.Credits;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Integration;

/// <summary>Spend covers every user, so these tests have a database of their own.</summary>
public sealed class AdminSpendTests(TestDatabase db) : IClassFixture<TestDatabase>, IDisposable
{
    private readonly ReelgateFactory _app = new(db.ConnectionString, new Dictionary<string, string?>
    {
        ["Jobs:WorkerConcurrency"] = "1",
        ["Jobs:PollInterval"] = "00:00:00.500",
        ["Rendering:Preset"] = "ultrafast",
        ["Usage:CreditPrice"] = "0.5",
        ["Usage:ProviderCostPerMinute:local"] = "1.2",
    });

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Spend_SetsCreditRevenueAgainstProviderCost_PerDayAndProvider()
    {
        var user = await Api.RegisterAsync(_app);
        await _app.Services.GetRequiredService<CreditAdjustments>().AdjustAsync(user.Id, 2m, "test", null, LedgerKinds.Grant, null);
        var submit = await user.Session.PostAsync("/api/v1/render", Api.Json("""
            {"timeline":{"tracks":[{"clips":[{"asset":{"type":"title","text":"Spend"},"start":0,"length":2}]}]},
             "output":{"format":"mp4","size":{"width":160,"height":90},"fps":12}}
            """));
        var id = (await submit.JsonAsync()).GetProperty("id").GetGuid();
        var clock = Stopwatch.StartNew();
        while ((await (await user.Session.GetAsync($"/api/v1/job/{id}")).JsonAsync()).GetProperty("status").GetString() is not ("done" or "failed")
               && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(100);
        }
        var admin = await Api.AdminSessionAsync(_app);
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var report = await (await admin.GetAsync($"/api/v1/admin/spend?from={today}&to={today}")).JsonAsync();

        var row = Assert.Single(report.GetProperty("rows").EnumerateArray());
        Assert.Equal((today, "local", 1), (row.GetProperty("date").GetString(), row.GetProperty("provider").GetString(), row.GetProperty("jobs").GetInt32()));
        Assert.Equal(0.10m, row.GetProperty("credits").GetDecimal());
        Assert.Equal(0.05m, row.GetProperty("revenue").GetDecimal());
        var cost = row.GetProperty("cost").GetDecimal();
        Assert.InRange(cost, 0.038m, 0.042m);
        Assert.Equal(0.05m - cost, row.GetProperty("margin").GetDecimal());
        Assert.Equal(0.05m - cost, report.GetProperty("totals").GetProperty("margin").GetDecimal());
    }

}
