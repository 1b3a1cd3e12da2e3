using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using Npgsql;

namespace Reelgate.BrowserTests.Support;

/// <summary>
/// The built Reelgate, run the way ./run runs it (migrate, create an admin, serve) on a free port, with its own database
/// on the server named by TEST_DATABASE_URL and its own data folder.
/// </summary>
public sealed class ReelgateServer : IAsyncDisposable
{
    public const string AdminEmail = "admin@reelgate.test";
    public const string AdminPassword = "admin password 1";

    private readonly string _database = "reelgate_b_" + Guid.NewGuid().ToString("N")[..16];
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "reelgate-browser", Guid.NewGuid().ToString("N"));
    private readonly StringBuilder _log = new();
    private Process? _process;

    public string BaseUrl { get; private set; } = "";
    public string AdminKey { get; private set; } = "";

    /// <summary>Extra environment for the app, set before <see cref="StartAsync"/>.</summary>
    public Dictionary<string, string> Settings { get; } = new();

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Reelgate.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Run the tests from inside the repository.");
    }

    public async Task StartAsync()
    {
        Directory.CreateDirectory(_dataDir);
        await ExecuteOnServerAsync($"CREATE DATABASE {_database}");
        var port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}";
        var environment = new Dictionary<string, string>
        {
            ["DATABASE_URL"] = ConnectionString(_database),
            ["HOST"] = "127.0.0.1",
            ["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DataProtection__KeysPath"] = Path.Combine(_dataDir, "keys"),
            ["Storage__LocalPath"] = Path.Combine(_dataDir, "storage"),
            ["Storage__SigningKeyPath"] = Path.Combine(_dataDir, "signing.key"),
            ["Jobs__WorkDirectory"] = Path.Combine(_dataDir, "work"),
            ["Jobs__WorkerConcurrency"] = "1",
            ["Jobs__PollInterval"] = "00:00:00.500",
            ["Rendering__Preset"] = "ultrafast",
            ["Generation__LocalShortSide"] = "180",
            ["Generation__LocalFps"] = "12",
            ["BILLING_ALLOW_SANDBOX"] = "true",
            // Every browser test signs up from this machine's address.
            ["RATE_LIMIT_REGISTRATIONS"] = "1000",
            ["RATE_LIMIT_LOGINS"] = "1000",
            ["Logging__LogLevel__Default"] = "Warning",
            // The balances the tests read start at zero; the signup credit has its own tests.
            ["Accounts__SignupCredits"] = "0",
        };
        foreach (var (key, value) in Settings) environment[key] = value;
        await RunToEndAsync(environment, "migrate");
        await RunToEndAsync(environment, "admin", "create-user", "--email", AdminEmail, "--password", AdminPassword, "--admin", "--credits", "100");
        AdminKey = (await RunToEndAsync(environment, "admin", "create-key", "--email", AdminEmail, "--name", "browser-tests")).Trim();

        _process = Start(environment, null, "serve");
        using var http = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"Reelgate exited while starting:\n{Log}");
            try
            {
                if ((await http.GetAsync("/health/live")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
            }
            if (clock.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException($"Reelgate did not start:\n{Log}");
            await Task.Delay(200);
        }
    }

    public string Log
    {
        get { lock (_log) return _log.ToString(); }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        NpgsqlConnection.ClearAllPools();
        await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)");
        try { Directory.Delete(_dataDir, recursive: true); }
        catch (IOException) { }
    }

    private async Task<string> RunToEndAsync(Dictionary<string, string> environment, params string[] args)
    {
        var output = new StringBuilder();
        using var process = Start(environment, output, args);
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"Reelgate {string.Join(' ', args.Take(2))} failed:\n{Log}");
        lock (output) return output.ToString();
    }

    private Process Start(Dictionary<string, string> environment, StringBuilder? output, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _dataDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(AppPath());
        foreach (var arg in args) info.ArgumentList.Add(arg);
        foreach (var (key, value) in environment) info.Environment[key] = value;
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(output ?? _log, e.Data);
        process.ErrorDataReceived += (_, e) => Append(_log, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Append(StringBuilder target, string? line)
    {
        if (line is null) return;
        lock (target) target.AppendLine(line);
    }

    private static string AppPath()
    {
        var configuration = typeof(ReelgateServer).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .First(a => a.Key == "Configuration").Value;
        var path = Path.Combine(RepositoryRoot(), "src", "Reelgate", "bin", configuration!, "net10.0", "Reelgate.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build Reelgate ({configuration}) first.", path);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string ConnectionString(string database)
    {
        var url = Environment.GetEnvironmentVariable("TEST_DATABASE_URL")
            ?? throw new InvalidOperationException("Set TEST_DATABASE_URL (./test does) to a PostgreSQL server the tests may create databases on.");
        var uri = new Uri(url);
        var credentials = uri.UserInfo.Split(':', 2);
        return new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort ? 5432 : uri.Port,
            Username = Uri.UnescapeDataString(credentials[0]),
            Password = credentials.Length > 1 ? Uri.UnescapeDataString(credentials[1]) : null,
            Database = database,
        }.ConnectionString;
    }

    private static async Task ExecuteOnServerAsync(string sql)
    {
        await using var source = NpgsqlDataSource.Create(ConnectionString("postgres"));
        await using var command = source.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
