using System.Reflection;
using Reelgate.Data;

namespace Reelgate.Cli;

public static class Commands
{
    private const string Usage = """
        Usage: Reelgate <command>
          serve [--roles api,worker]           run the API and workers (default)
          migrate                              apply database migrations
          admin create-user --email E --password P [--admin] [--credits N]
          admin create-key --email E [--name N]
          admin grant --email E --credits N --reason R
          admin seed-demo --out FILE           create the demo admin once and write its credentials
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            return await RunCommandAsync(args);
        }
        // Only as the process of its own: hosted by another program (a test's WebApplicationFactory), the exception is that host's to report.
        catch (Exception ex) when (Assembly.GetEntryAssembly() == typeof(Commands).Assembly && StartupFailure.Explain(ex) is { } paragraph)
        {
            await Console.Error.WriteLineAsync(paragraph);
            return StartupFailure.ExitCode;
        }
    }

    private static async Task<int> RunCommandAsync(string[] args)
    {
        var command = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "serve";
        var rest = args.Length > 0 && !args[0].StartsWith('-') ? args[1..] : args;
        switch (command)
        {
            case "serve":
            {
                await using var app = App.Build(WithContentRoot(rest));
                await StartupChecks.RunAsync(app.Services, app.Configuration);
                await app.RunAsync();
                return 0;
            }
            case "migrate":
            {
                await using var app = App.Build(WithContentRoot(rest));
                await StartupChecks.DatabaseAsync(app.Services, app.Configuration);
                var applied = await app.Services.GetRequiredService<Migrator>().MigrateAsync();
                Console.WriteLine(applied == 0 ? "Database is up to date." : $"Applied {applied} migration(s).");
                return 0;
            }
            case "admin":
            {
                var options = CliArgs.Parse(rest.Skip(1));
                await using var app = App.Build(WithContentRoot([]));
                await StartupChecks.DatabaseAsync(app.Services, app.Configuration);
                return await AdminCommands.RunAsync(rest.FirstOrDefault(), options, app.Services);
            }
            case "help" or "--help" or "-h":
                Console.WriteLine(Usage);
                return 0;
            default:
                await Console.Error.WriteLineAsync($"Unknown command '{command}'.\n{Usage}");
                return 2;
        }
    }

    /// <summary>appsettings.json sits beside the binary; data paths stay relative to the working directory.</summary>
    private static string[] WithContentRoot(string[] args) =>
        args.Any(a => a.Contains("contentRoot", StringComparison.OrdinalIgnoreCase)) ? args : [.. args, $"--contentRoot={AppContext.BaseDirectory}"];
}

/// <summary>--name value pairs and bare --flags.</summary>
public sealed class CliArgs
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);

    public static CliArgs Parse(IEnumerable<string> args)
    {
        var result = new CliArgs();
        var list = args.ToList();
        for (var i = 0; i < list.Count; i++)
        {
            if (!list[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"Unexpected argument '{list[i]}'.");
            var name = list[i][2..];
            var hasValue = i + 1 < list.Count && !list[i + 1].StartsWith("--", StringComparison.Ordinal);
            result._values[name] = hasValue ? list[++i] : null;
        }
        return result;
    }

    public bool Has(string name) => _values.ContainsKey(name);

    public string? Get(string name) => _values.GetValueOrDefault(name);

    public string Require(string name) =>
        _values.GetValueOrDefault(name) is { Length: > 0 } value ? value : throw new ArgumentException($"--{name} is required.");
}
