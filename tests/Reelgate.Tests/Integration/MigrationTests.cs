using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Reelgate.Data;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Integration;

public sealed class MigrationTests
{
    [Fact]
    public async Task Migrate_FromFourProcessesAtOnceAndAgain_AppliesEachScriptOnce()
    {
        var name = "reelgate_m_" + Guid.NewGuid().ToString("N")[..12];
        await using var server = NpgsqlDataSource.Create(TestDatabase.For("postgres"));
        await server.CreateCommand($"CREATE DATABASE {name}").ExecuteNonQueryAsync();
        try
        {
            var sources = Enumerable.Range(0, 4).Select(_ => NpgsqlDataSource.Create(TestDatabase.For(name) + ";Pooling=false")).ToList();
            var applied = await Task.WhenAll(sources.Select(s => new Migrator(s, NullLogger<Migrator>.Instance).MigrateAsync()));
            var again = await new Migrator(sources[0], NullLogger<Migrator>.Instance).MigrateAsync();

            Assert.Equal(Migrator.Scripts().Count, applied.Sum());
            Assert.Equal(0, again);
            await using var connection = await sources[0].OpenConnectionAsync();
            var recorded = (await connection.QueryAsync<string>("SELECT name FROM schema_migrations ORDER BY name")).ToList();
            Assert.Equal(Migrator.Scripts().Select(s => s.Name).ToList(), recorded);
            foreach (var source in sources) await source.DisposeAsync();
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await server.CreateCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)").ExecuteNonQueryAsync();
        }
    }
}
