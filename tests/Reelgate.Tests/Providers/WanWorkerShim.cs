using System.Diagnostics;
using System.Text;
using Reelgate.Tests.Storage;

namespace Reelgate.Tests.Providers;

/// <summary>The Wan 2.2 worker's handler behind its local RunPod-compatible shim (workers/wan22/tests/runpod_shim.py), uploading to s3rver.</summary>
internal sealed class WanWorkerShim : IAsyncDisposable
{
    public const string ApiKey = "rp_local_key";
    public const string Endpoint = "wan22-local";
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private WanWorkerShim(Process process) => _process = process;

    public Uri BaseAddress { get; private set; } = null!;

    public string Prefix { get; } = TestS3.NewPrefix();

    public string Log
    {
        get { lock (_log) return _log.ToString(); }
    }

    public static async Task<WanWorkerShim> StartAsync()
    {
        var info = new ProcessStartInfo(File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { Path.Combine(WorkerContract.Folder, "tests", "runpod_shim.py"), "--port", "0", "--endpoint", Endpoint, "--allow-private-networks" })
        {
            info.ArgumentList.Add(argument);
        }
        var shim = new WanWorkerShim(new Process { StartInfo = info });
        info.Environment["RUNPOD_API_KEY"] = ApiKey;
        info.Environment["S3_ENDPOINT_URL"] = TestS3.Endpoint;
        info.Environment["S3_BUCKET"] = TestS3.Bucket;
        info.Environment["S3_ACCESS_KEY_ID"] = "S3RVER";
        info.Environment["S3_SECRET_ACCESS_KEY"] = "S3RVER";
        info.Environment["S3_REGION"] = "us-east-1";
        info.Environment["S3_KEY_PREFIX"] = shim.Prefix;
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        shim._process.OutputDataReceived += (_, e) =>
        {
            shim.Append(e.Data);
            if (e.Data?.StartsWith("listening on ", StringComparison.Ordinal) == true) listening.TrySetResult(new Uri(e.Data["listening on ".Length..]));
        };
        shim._process.ErrorDataReceived += (_, e) => shim.Append(e.Data);
        shim._process.Start();
        shim._process.BeginOutputReadLine();
        shim._process.BeginErrorReadLine();
        var started = await Task.WhenAny(listening.Task, shim._process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(30)));
        if (started != listening.Task) throw new InvalidOperationException($"The worker shim did not start (python3 with python3-boto3 is needed):\n{shim.Log}");
        shim.BaseAddress = listening.Task.Result;
        return shim;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
