using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Reelgate.Data;

namespace Reelgate.Tests.Support;

/// <summary>A fresh database per test class, copied from a template migrated once per migration set.</summary>
public sealed class TestDatabase : IAsyncLifetime
{
    private static readonly SemaphoreSlim TemplateLock = new(1, 1);
    private static string? _template;

    public string Name { get; } = "reelgate_t_" + Guid.NewGuid().ToString("N")[..16];
    public string ConnectionString { get; private set; } = "";

    public static string ServerConnectionString()
    {
        var url = Environment.GetEnvironmentVariable("TEST_DATABASE_URL") ?? Environment.GetEnvironmentVariable("DATABASE_URL")
            ?? throw new InvalidOperationException("Set TEST_DATABASE_URL (./test does) to a PostgreSQL server the tests may create databases on.");
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["DATABASE_URL"] = url }).Build();
        return DatabaseOptions.ConnectionString(config);
    }

    public static string For(string database) =>
        new NpgsqlConnectionStringBuilder(ServerConnectionString()) { Database = database, Pooling = true, MaxPoolSize = 120 }.ConnectionString;

    public async Task InitializeAsync()
    {
        var template = await EnsureTemplateAsync();
        await ExecuteOnServerAsync($"CREATE DATABASE {Name} TEMPLATE {template}");
        ConnectionString = For(Name);
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
    }

    public NpgsqlDataSource CreateDataSource() => NpgsqlDataSource.Create(ConnectionString);

    private static async Task<string> EnsureTemplateAsync()
    {
        await TemplateLock.WaitAsync();
        try
        {
            if (_template is not null) return _template;
            var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Concat(Migrator.Scripts().Select(s => s.Name + s.Sql)))))[..12].ToLowerInvariant();
            var name = $"reelgate_tpl_{hash}";
            await using var server = NpgsqlDataSource.Create(For("postgres"));
            await using var connection = await server.OpenConnectionAsync();
            await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_lock(4242)", connection)) await lockCommand.ExecuteNonQueryAsync();
            await using (var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection))
            {
                exists.Parameters.AddWithValue("name", name);
                if (await exists.ExecuteScalarAsync() is null)
                {
                    await using (var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection)) await create.ExecuteNonQueryAsync();
                    await using var templateSource = NpgsqlDataSource.Create(For(name));
                    await new Migrator(templateSource, NullLogger<Migrator>.Instance).MigrateAsync();
                    NpgsqlConnection.ClearAllPools();
                }
            }
            await using (var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(4242)", connection)) await unlock.ExecuteNonQueryAsync();
            return _template = name;
        }
        finally
        {
            TemplateLock.Release();
        }
    }

    private static async Task ExecuteOnServerAsync(string sql)
    {
        await using var server = NpgsqlDataSource.Create(For("postgres"));
        await using var command = server.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
