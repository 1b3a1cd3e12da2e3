using Dapper;
using Npgsql;

namespace Reelgate.Data;

public static class DataServiceCollectionExtensions
{
    public static IServiceCollection AddData(this IServiceCollection services)
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        services.AddSingleton(sp =>
        {
            var configuration = sp.GetRequiredService<IConfiguration>();
            var builder = new NpgsqlDataSourceBuilder(DatabaseOptions.ConnectionString(configuration));
            builder.UseLoggerFactory(sp.GetRequiredService<ILoggerFactory>());
            // The same few statements run on every request; preparing them saves PostgreSQL the parse and plan.
            if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0) builder.ConnectionStringBuilder.MaxAutoPrepare = 64;
            // No code leaves session state on a pooled connection (settings are SET LOCAL, advisory locks are released,
            // the listener unlistens), so the seven reset statements Npgsql would otherwise run on every reuse are skipped.
            builder.ConnectionStringBuilder.NoResetOnClose = true;
            // Only statements inside a traced request or job step are traced: the workers' polls would bury the rest, and
            // statements of an unsampled request would only be dropped by the sampler after costing a span each.
            builder.ConfigureTracing(tracing => tracing
                .ConfigureCommandFilter(_ => System.Diagnostics.Activity.Current is { Recorded: true })
                .ConfigureBatchFilter(_ => System.Diagnostics.Activity.Current is { Recorded: true }));
            return builder.Build();
        });
        services.AddSingleton<DatabaseAvailability>();
        services.AddSingleton<Migrator>();
        return services;
    }
}
