using System.Collections.Concurrent;
using Reelgate.Data;

namespace Reelgate.Jobs;

/// <summary>
/// Wakes long polls when a job's status changes on any instance (the jobs trigger's NOTIFY). A waiter is a
/// task, not a thread: thousands of polls can wait at once without holding a thread or a database connection.
/// </summary>
public sealed class JobStatusSignals
{
    private readonly ConcurrentDictionary<Guid, HashSet<TaskCompletionSource>> _waiters = new();

    public JobStatusSignals(Notifications notifications)
    {
        Notifications = notifications;
        notifications.Subscribe(Channels.JobStatus, OnNotification);
    }

    public Notifications Notifications { get; }

    /// <summary>Completes on the job's next status change; dispose it to stop watching.</summary>
    public Watch WatchJob(Guid jobId)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        while (true)
        {
            var set = _waiters.GetOrAdd(jobId, _ => []);
            lock (set)
            {
                // A set removed by a notification or the last waiter's disposal is never reused.
                if (_waiters.TryGetValue(jobId, out var current) && ReferenceEquals(current, set))
                {
                    set.Add(signal);
                    return new Watch(this, jobId, set, signal);
                }
            }
        }
    }

    private void OnNotification(string payload)
    {
        var colon = payload.IndexOf(':');
        if (colon <= 0 || !Guid.TryParse(payload.AsSpan(0, colon), out var jobId)) return;
        if (!_waiters.TryRemove(jobId, out var set)) return;
        lock (set)
        {
            foreach (var signal in set) signal.TrySetResult();
            set.Clear();
        }
    }

    private void Forget(Guid jobId, HashSet<TaskCompletionSource> set, TaskCompletionSource signal)
    {
        lock (set)
        {
            set.Remove(signal);
            if (set.Count == 0) _waiters.TryRemove(new KeyValuePair<Guid, HashSet<TaskCompletionSource>>(jobId, set));
        }
    }

    public sealed class Watch(JobStatusSignals owner, Guid jobId, HashSet<TaskCompletionSource> set, TaskCompletionSource signal) : IDisposable
    {
        public Task Changed => signal.Task;

        public void Dispose() => owner.Forget(jobId, set, signal);
    }
}
