using Reelgate.Jobs;

namespace Reelgate.Tests.Jobs;

public sealed class StatementLaneTests
{
    [Fact]
    public async Task ACallIntoAnIdleLane_RunsAlone_AndThoseArrivingMeanwhile_RunTogetherNext()
    {
        var batches = new List<IReadOnlyList<int>>();
        var firstRunning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var lane = new StatementLane<int, string>(async items =>
        {
            lock (batches) batches.Add(items);
            if (items.Contains(1))
            {
                firstRunning.SetResult();
                await releaseFirst.Task;
            }
            return items.Select(i => $"#{i}").ToList();
        });

        var first = lane.RunAsync(1);
        await firstRunning.Task;
        var later = Enumerable.Range(2, 3).Select(lane.RunAsync).ToList();
        releaseFirst.SetResult();

        Assert.Equal("#1", await first);
        Assert.Equal(["#2", "#3", "#4"], await Task.WhenAll(later));
        Assert.Equal([[1], [2, 3, 4]], batches);
    }

    [Fact]
    public async Task AFailedBatch_FailsEachOfItsCalls_AndTheLaneRunsTheNextOne()
    {
        var fail = true;
        var lane = new StatementLane<int, int>(items =>
            fail ? throw new InvalidOperationException("database gone") : Task.FromResult<IReadOnlyList<int>>(items.Select(i => i * 10).ToList()));

        var failed = await Assert.ThrowsAsync<InvalidOperationException>(() => lane.RunAsync(1));
        Assert.Equal("database gone", failed.Message);
        fail = false;
        Assert.Equal(20, await lane.RunAsync(2));
    }

    [Fact]
    public async Task ABurstLargerThanOneBatch_IsSplitIntoBatchesOfAtMostTheLimit()
    {
        var sizes = new List<int>();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var lane = new StatementLane<int, int>(async items =>
        {
            lock (sizes) sizes.Add(items.Count);
            await gate.Task;
            return items.ToList();
        });

        var calls = Enumerable.Range(0, 1 + 2 * StatementLane<int, int>.MaxBatch).Select(lane.RunAsync).ToList();
        gate.SetResult();

        Assert.Equal(Enumerable.Range(0, calls.Count), await Task.WhenAll(calls));
        Assert.All(sizes, size => Assert.InRange(size, 1, StatementLane<int, int>.MaxBatch));
        Assert.Equal(calls.Count, sizes.Sum());
    }
}
