namespace Reelgate.Jobs;

/// <summary>
/// Runs calls that arrive together as one batch, one batch at a time: the first call into an idle lane runs at once,
/// alone, and those that arrive while a batch runs go together in the next, at most <see cref="MaxBatch"/> of them. Every
/// call gets its own result, or its batch's exception. A steady stream of short statements, one per job, becomes a few
/// statements of several jobs each, while a call that finds the lane idle waits for nothing.
/// </summary>
/// <param name="run">Runs one batch and answers one result per item, in the items' order.</param>
public sealed class StatementLane<TItem, TResult>(Func<IReadOnlyList<TItem>, Task<IReadOnlyList<TResult>>> run)
{
    /// <summary>Enough to take a whole claim's steps in one statement while keeping the statement's arrays small.</summary>
    public const int MaxBatch = 64;

    private readonly Lock _gate = new();
    private readonly List<(TItem Item, TaskCompletionSource<TResult> Result)> _waiting = [];
    private bool _draining;

    /// <summary>The item's result once its batch ran. The batch runs whether or not the caller still waits for it.</summary>
    public Task<TResult> RunAsync(TItem item)
    {
        var result = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        bool start;
        lock (_gate)
        {
            _waiting.Add((item, result));
            start = !_draining;
            _draining = true;
        }
        if (start) _ = Task.Run(DrainAsync);
        return result.Task;
    }

    private async Task DrainAsync()
    {
        while (true)
        {
            List<(TItem Item, TaskCompletionSource<TResult> Result)> batch;
            lock (_gate)
            {
                if (_waiting.Count == 0)
                {
                    _draining = false;
                    return;
                }
                var count = Math.Min(_waiting.Count, MaxBatch);
                batch = _waiting.GetRange(0, count);
                _waiting.RemoveRange(0, count);
            }
            try
            {
                var results = await run(batch.ConvertAll(waiting => waiting.Item));
                if (results.Count != batch.Count) throw new InvalidOperationException($"A batch of {batch.Count} answered {results.Count} results");
                for (var i = 0; i < batch.Count; i++) batch[i].Result.TrySetResult(results[i]);
            }
            catch (Exception ex)
            {
                foreach (var (_, result) in batch) result.TrySetException(ex);
            }
        }
    }
}
