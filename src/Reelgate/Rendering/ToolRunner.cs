using Microsoft.Extensions.Options;

namespace Reelgate.Rendering;

/// <summary>
/// The one way Reelgate runs ffmpeg and ffprobe: inputs pinned to their scope and container (<see cref="ToolInputs"/>),
/// the process sandboxed and held to the memory limit (<see cref="ToolSandbox"/>), an out-of-memory end told apart.
/// </summary>
public sealed class ToolRunner
{
    private readonly RenderingOptions _options;
    private readonly ToolSandbox _sandbox;
    private readonly SemaphoreSlim _slots;

    public ToolRunner(IOptions<RenderingOptions> options, ILogger<ToolRunner> logger)
    {
        _options = options.Value;
        _sandbox = new ToolSandbox(_options, logger);
        _slots = new SemaphoreSlim(_options.MaxConcurrentTools > 0 ? _options.MaxConcurrentTools : 2 * Environment.ProcessorCount);
    }

    public bool IsIsolated => _sandbox.IsIsolated;

    /// <exception cref="RenderFailedException">The tool failed, ran out of memory, or was given an input it may not read.</exception>
    public async Task RunAsync(string executable, IReadOnlyList<string> arguments, ToolScope scope, Action<string> onStdoutLine, CancellationToken ct)
    {
        var pinned = ToolInputs.Pin(arguments, scope);
        // Hundreds of remote outputs copied at once must not start hundreds of processes on a few cores.
        await _slots.WaitAsync(ct);
        try
        {
            await RunPinnedAsync(executable, pinned, scope, onStdoutLine, ct);
        }
        finally
        {
            _slots.Release();
        }
    }

    private async Task RunPinnedAsync(string executable, List<string> pinned, ToolScope scope, Action<string> onStdoutLine, CancellationToken ct)
    {
        var limitBytes = (long)_options.MemoryLimitMb * 1024 * 1024;
        using var cgroup = limitBytes > 0 ? MemoryCgroup.TryCreate(limitBytes) : null;
        var start = _sandbox.Wrap(executable, pinned, scope, cgroup);
        try
        {
            await ToolProcess.RunAsync(Path.GetFileName(executable), start, onStdoutLine, ct);
        }
        catch (RenderFailedException ex) when (cgroup?.WasOutOfMemory() == true
            || ex.StderrTail.Any(line => line.Contains("Cannot allocate memory", StringComparison.Ordinal) || line.Contains("failed to map segment", StringComparison.Ordinal)))
        {
            throw new RenderFailedException(RenderFailedException.OutOfMemory,
                $"The render needed more memory than its limit of {_options.MemoryLimitMb} MB.");
        }
    }
}
