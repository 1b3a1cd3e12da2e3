using System.Collections.Concurrent;
using Npgsql;

namespace Reelgate.Jobs;

/// <summary>
/// One lane per user with submissions waiting in this process. The first submission into an idle lane starts its
/// drain; those that arrive while a batch is being admitted wait for the next one. A drained lane is retired and
/// removed, so lanes exist only for users submitting right now.
/// </summary>
public sealed class AdmissionLanes
{
    /// <summary>Enough to take a whole burst in one statement while keeping the statement's arrays small.</summary>
    public const int MaxBatch = 64;

    public sealed record Pending(JobRecord Job, int MaxActive, NpgsqlBatchCommand[] Alongside, CancellationToken Canceled)
    {
        public TaskCompletionSource<SubmitResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Lane
    {
        public readonly List<Pending> Waiting = [];
        public bool Draining;
        public bool Retired;
    }

    private readonly ConcurrentDictionary<Guid, Lane> _lanes = new();

    /// <summary>Adds a submission to its user's lane; true when the lane was idle and the caller must start its drain.</summary>
    public bool Enter(Pending pending)
    {
        while (true)
        {
            var lane = _lanes.GetOrAdd(pending.Job.UserId, _ => new Lane());
            lock (lane)
            {
                if (lane.Retired) continue;
                lane.Waiting.Add(pending);
                if (lane.Draining) return false;
                lane.Draining = true;
                return true;
            }
        }
    }

    /// <summary>
    /// The next batch of a draining lane: the oldest waiting submission and those after it with the same active-job
    /// limit, at most <see cref="MaxBatch"/>. Empty when none is left, and the lane is then retired.
    /// </summary>
    public IReadOnlyList<Pending> Next(Guid userId)
    {
        if (!_lanes.TryGetValue(userId, out var lane)) return [];
        lock (lane)
        {
            if (lane.Waiting.Count == 0)
            {
                lane.Draining = false;
                lane.Retired = true;
                _lanes.TryRemove(new KeyValuePair<Guid, Lane>(userId, lane));
                return [];
            }
            var limit = lane.Waiting[0].MaxActive;
            var batch = lane.Waiting.Where(p => p.MaxActive == limit).Take(MaxBatch).ToList();
            lane.Waiting.RemoveAll(batch.Contains);
            return batch;
        }
    }
}
