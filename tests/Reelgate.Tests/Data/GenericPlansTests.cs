using Dapper;
using Reelgate.Data;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Data;

public sealed class GenericPlansTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task TheStatementRunsWithTheGenericPlan_AndThePooledConnectionKeepsItsOwnSetting()
    {
        await using var source = db.CreateDataSource();
        await using var connection = await source.OpenConnectionAsync();

        var during = await GenericPlans.QueryAsync<string>(connection, "SELECT current_setting('plan_cache_mode') || ':' || @word", new { word = "x" });
        var after = await connection.ExecuteScalarAsync<string>("SHOW plan_cache_mode");

        Assert.Equal(["force_generic_plan:x"], during);
        Assert.Equal("auto", after);
    }

    [Fact]
    public async Task InsideAnOpenTransaction_TheSettingEndsWithIt()
    {
        await using var source = db.CreateDataSource();
        await using var connection = await source.OpenConnectionAsync();
        await using (var tx = await connection.BeginTransactionAsync())
        {
            var rows = await GenericPlans.QueryAsync<int>(connection, "SELECT 1", null, tx);
            Assert.Equal([1], rows);
            Assert.Equal("force_generic_plan", await connection.ExecuteScalarAsync<string>("SHOW plan_cache_mode", transaction: tx));
            await tx.CommitAsync();
        }

        Assert.Equal("auto", await connection.ExecuteScalarAsync<string>("SHOW plan_cache_mode"));
    }
}
