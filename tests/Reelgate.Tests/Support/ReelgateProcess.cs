using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Reelgate.Tests.Support;

public sealed record ExitedProcess(int ExitCode, string Output, string Errors);

/// <summary>The built Reelgate serving as a process of its own, against a test database, so a test can kill it with SIGKILL.</summary>
public sealed class ReelgateProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly TestLogBook? _logBook = TestLogBook.Current;

    private ReelgateProcess(Process process, string baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    public string Log
    {
        get { lock (_log) return _log.ToString(); }
    }

    public static async Task<ReelgateProcess> StartAsync(string connectionString, IReadOnlyDictionary<string, string> settings, int? port = null)
    {
        port ??= FreePort();
        var info = StartInfo(connectionString, settings, port.Value);
        var process = new ReelgateProcess(Process.Start(info)!, $"http://127.0.0.1:{port}");
        process._process.OutputDataReceived += (_, e) => process.Append(e.Data);
        process._process.ErrorDataReceived += (_, e) => process.Append(e.Data);
        process._process.BeginOutputReadLine();
        process._process.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = new Uri(process.BaseUrl) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (process._process.HasExited) throw new InvalidOperationException($"Reelgate exited while starting:\n{process.Log}");
            try
            {
                if ((await http.GetAsync("/health/live")).StatusCode == HttpStatusCode.OK) return process;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            if (clock.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException($"Reelgate did not start:\n{process.Log}");
            await Task.Delay(100);
        }
    }

    /// <summary>Runs <c>serve</c> until it exits by itself (as on a misconfiguration), within 60 s.</summary>
    public static async Task<ExitedProcess> RunUntilExitAsync(string connectionString, IReadOnlyDictionary<string, string> settings)
    {
        using var process = Process.Start(StartInfo(connectionString, settings, FreePort()))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new TimeoutException($"Reelgate kept running:\n{await output}{await errors}");
        }
        return new ExitedProcess(process.ExitCode, await output, await errors);
    }

    /// <summary>The built app with its data in a fresh folder, against <paramref name="connectionString"/>; settings win.</summary>
    private static ProcessStartInfo StartInfo(string connectionString, IReadOnlyDictionary<string, string> settings, int port)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "reelgate-process", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = dataDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(RepositoryRoot(), "src", "Reelgate", "bin", "Release", "net10.0", "Reelgate.dll"));
        info.ArgumentList.Add("serve");
        info.Environment["DATABASE_URL"] = connectionString;
        info.Environment["HOST"] = "127.0.0.1";
        info.Environment["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["DataProtection__KeysPath"] = Path.Combine(dataDir, "keys");
        info.Environment["Storage__LocalPath"] = Path.Combine(dataDir, "storage");
        info.Environment["Jobs__WorkDirectory"] = Path.Combine(dataDir, "work");
        info.Environment["Fetch__AllowPrivateNetworks"] = "true";
        info.Environment["BILLING_ALLOW_SANDBOX"] = "true";
        if (Environment.GetEnvironmentVariable("TEST_LOG_LEVEL") is { Length: > 0 } level) info.Environment["Logging__LogLevel__Default"] = level;
        foreach (var (key, value) in settings) info.Environment[key] = value;
        return info;
    }

    /// <summary>SIGKILL: no shutdown, no handing back, nothing flushed.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) await KillAsync();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
        _logBook?.Add(line);
    }

    internal static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Reelgate.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Run the tests from inside the repository.");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
