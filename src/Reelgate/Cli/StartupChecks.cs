using System.Diagnostics;
using Microsoft.Extensions.Options;
using Npgsql;
using Reelgate.Common;
using Reelgate.Data;
using Reelgate.Storage;

namespace Reelgate.Cli;

/// <summary>
/// What <c>serve</c> verifies before it listens, so a misconfiguration stops the process with a sentence naming the
/// setting instead of a stack trace from deep inside the host: every option's validation, each service the host will
/// start, the storage bucket, and a reachable, migrated database.
/// </summary>
public static class StartupChecks
{
    public static async Task RunAsync(IServiceProvider services, IConfiguration configuration)
    {
        services.GetRequiredService<IStartupValidator>().Validate();
        _ = services.GetServices<IHostedService>().ToList();
        _ = services.GetRequiredService<LinkSigner>();
        var store = services.GetRequiredService<IObjectStore>();
        // Database:RequiredAtStart=false starts without it, answering 503 until it is reachable, as during an outage.
        if (configuration.GetValue("Database:RequiredAtStart", true))
        {
            await DatabaseAsync(services, configuration);
            var pending = await services.GetRequiredService<Migrator>().PendingAsync();
            if (pending.Count > 0)
            {
                throw new ConfigurationException(
                    $"The database is missing {pending.Count} migration(s), from {pending[0]}: run 'Reelgate migrate' against it first (./run does).");
            }
        }
        if (store is S3ObjectStore s3 && await s3.FindProblemAsync() is { } problem) throw new ConfigurationException($"Storage: {problem}");
    }

    /// <summary>Waits up to Database:StartTimeoutSeconds (20) for a server that is down or starting; a refusal ends it at once.</summary>
    public static async Task DatabaseAsync(IServiceProvider services, IConfiguration configuration)
    {
        var db = services.GetRequiredService<NpgsqlDataSource>();
        var timeout = TimeSpan.FromSeconds(configuration.GetValue("Database:StartTimeoutSeconds", 20.0));
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var connection = await db.OpenConnectionAsync();
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                var where = Describe(db);
                if (ex is PostgresException { SqlState: "28P01" or "28000" } denied)
                {
                    throw new ConfigurationException($"PostgreSQL at {where} refused the login ({denied.MessageText}): check the user and password in DATABASE_URL.", ex);
                }
                if (ex is PostgresException { SqlState: "3D000" })
                {
                    throw new ConfigurationException($"PostgreSQL at {where} has no such database: create it or name an existing one in DATABASE_URL.", ex);
                }
                if (!DatabaseOutage.Is(ex) && ex is not TimeoutException)
                {
                    throw new ConfigurationException($"PostgreSQL at {where} refused the connection ({Reason(ex)}): check DATABASE_URL.", ex);
                }
                if (clock.Elapsed >= timeout)
                {
                    throw new ConfigurationException(
                        $"The database at {where} did not answer within {timeout.TotalSeconds:0.#} s ({Reason(ex)}): check DATABASE_URL and that PostgreSQL is running there.", ex);
                }
            }
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
    }

    private static string Describe(NpgsqlDataSource db)
    {
        var settings = new NpgsqlConnectionStringBuilder(db.ConnectionString);
        return $"{settings.Host}:{settings.Port}/{settings.Database} (user {settings.Username})";
    }

    private static string Reason(Exception ex) => (ex.InnerException ?? ex).Message.TrimEnd('.');
}
