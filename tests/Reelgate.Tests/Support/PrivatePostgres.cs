using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Reelgate.Data;

namespace Reelgate.Tests.Support;

/// <summary>
/// A migrated PostgreSQL cluster of its own in a temp folder, for tests that stop and start the server (the shared
/// test server is never touched). As root, the server's tools run as postgres, which then owns the folder.
/// </summary>
public sealed class PrivatePostgres : IAsyncLifetime
{
    private const string Password = "private-cluster";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "reelgate-pg-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly string _bin = ServerBinaries();
    private readonly int _port = FreePort();

    private string DataDir => Path.Combine(_root, "data");

    public string ConnectionString => For("reelgate");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        var passwordFile = Path.Combine(_root, "password");
        await File.WriteAllTextAsync(passwordFile, Password);
        if (Environment.IsPrivilegedProcess) await RunAsync("chown", "-R", "postgres", _root);
        await RunToolAsync("initdb", "-D", DataDir, "-U", "reelgate", $"--pwfile={passwordFile}", "--auth=scram-sha-256", "-E", "UTF8", "--no-sync");
        await File.AppendAllTextAsync(Path.Combine(DataDir, "postgresql.conf"), $"""

            listen_addresses = '127.0.0.1'
            port = {_port}
            unix_socket_directories = '{_root}'
            fsync = off
            max_connections = 50
            """);
        await StartAsync();
        await using (var server = NpgsqlDataSource.Create(For("postgres")))
        {
            await server.CreateCommand("CREATE DATABASE reelgate").ExecuteNonQueryAsync();
        }
        await using var db = NpgsqlDataSource.Create(ConnectionString);
        await new Migrator(db, NullLogger<Migrator>.Instance).MigrateAsync();
    }

    public Task StartAsync() => RunToolAsync("pg_ctl", "-D", DataDir, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "30", "start");

    /// <summary>A fast shutdown, as an operator stopping the server does: sessions are ended and new connections refused.</summary>
    public Task StopAsync() => RunToolAsync("pg_ctl", "-D", DataDir, "-m", "fast", "-w", "-t", "30", "stop");

    public async Task DisposeAsync()
    {
        if (File.Exists(Path.Combine(DataDir, "postmaster.pid"))) await RunToolAsync("pg_ctl", "-D", DataDir, "-m", "immediate", "-w", "stop");
        Directory.Delete(_root, recursive: true);
    }

    private string For(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = _port,
        Username = "reelgate",
        Password = Password,
        Database = database,
        Timeout = 5,
    }.ConnectionString;

    private Task RunToolAsync(string tool, params string[] args) =>
        Environment.IsPrivilegedProcess
            ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. args])
            : RunAsync(Path.Combine(_bin, tool), args);

    private async Task RunAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = _root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited with {process.ExitCode}: {await output}{await errors}");
        }
    }

    private static string ServerBinaries()
    {
        var versions = Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql") : [];
        return versions.Where(v => File.Exists(Path.Combine(v, "bin", "initdb")))
            .OrderByDescending(v => int.TryParse(Path.GetFileName(v), out var major) ? major : 0)
            .Select(v => Path.Combine(v, "bin"))
            .FirstOrDefault() ?? throw new InvalidOperationException("No initdb under /usr/lib/postgresql/*/bin; install postgresql (./test does).");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
