using System.Collections.Concurrent;
using Reelgate.Data;

namespace Reelgate.Jobs;

/// <summary>Lets a worker polling an upstream wake as soon as a callback for its job has been verified on any instance.</summary>
public sealed class UpstreamSignals
{
    public const string Prefix = "upstream:";
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _waiting = new();

    public UpstreamSignals(Notifications notifications) => notifications.Subscribe(Channels.Jobs, payload =>
    {
        if (payload.StartsWith(Prefix, StringComparison.Ordinal) && Guid.TryParse(payload.AsSpan(Prefix.Length), out var jobId)
            && _waiting.TryRemove(jobId, out var waiter))
        {
            waiter.TrySetResult();
        }
    });

    /// <summary>Waits for a signal for <paramref name="jobId"/> or until <paramref name="timeout"/>; true when signalled.</summary>
    public async Task<bool> WaitAsync(Guid jobId, TimeSpan timeout, CancellationToken ct)
    {
        var waiter = _waiting.GetOrAdd(jobId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            await waiter.Task.WaitAsync(timeout, ct);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        finally
        {
            _waiting.TryRemove(KeyValuePair.Create(jobId, waiter));
        }
    }
}
