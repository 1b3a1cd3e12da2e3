using Npgsql;
using Reelgate.Data;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Data;

/// <summary>Real Npgsql failures where they can be caused here, server states where they cannot.</summary>
public sealed class OutageClassificationTests
{
    [Fact]
    public async Task ConnectionRefused_IsAnOutage()
    {
        await using var unreachable = NpgsqlDataSource.Create("Host=127.0.0.1;Port=1;Username=x;Password=y;Database=z;Timeout=2");
        var refused = await Assert.ThrowsAnyAsync<NpgsqlException>(async () => await unreachable.OpenConnectionAsync());
        Assert.True(DatabaseOutage.Is(refused));
    }

    [Fact]
    public async Task PoolExhausted_IsAnOutage()
    {
        var settings = new NpgsqlConnectionStringBuilder(TestDatabase.For("postgres")) { MaxPoolSize = 1, Timeout = 1 };
        await using var pool = NpgsqlDataSource.Create(settings.ConnectionString);
        await using var held = await pool.OpenConnectionAsync();
        var exhausted = await Assert.ThrowsAnyAsync<NpgsqlException>(async () => await pool.OpenConnectionAsync());
        Assert.True(DatabaseOutage.Is(exhausted));
    }

    [Theory]
    [InlineData("57P01")] // admin_shutdown: the server is stopping
    [InlineData("57P02")] // crash_shutdown
    [InlineData("57P03")] // cannot_connect_now: starting up or shutting down
    [InlineData("53300")] // too_many_connections: the server is out of connection slots
    [InlineData("08006")] // connection_failure
    public void ServerGoingAwayOrNotYetBack_IsAnOutage(string sqlState) =>
        Assert.True(DatabaseOutage.Is(new PostgresException("server unavailable", "FATAL", "FATAL", sqlState)));

    [Fact]
    public async Task SqlError_IsNotAnOutage()
    {
        await using var db = NpgsqlDataSource.Create(TestDatabase.For("postgres"));
        var error = await Assert.ThrowsAsync<PostgresException>(async () => await db.CreateCommand("SELEC 1").ExecuteNonQueryAsync());
        Assert.False(DatabaseOutage.Is(error));
    }

    [Theory]
    [InlineData("23505")] // unique_violation
    [InlineData("40001")] // serialization_failure
    [InlineData("57014")] // query_canceled
    public void OtherServerErrors_AreNotAnOutage(string sqlState) =>
        Assert.False(DatabaseOutage.Is(new PostgresException("bad", "ERROR", "ERROR", sqlState)));

    [Fact]
    public void NonDatabaseErrors_AreNotAnOutage()
    {
        Assert.False(DatabaseOutage.Is(new InvalidOperationException("bug")));
        Assert.False(DatabaseOutage.Is(new TimeoutException()));
    }
}
