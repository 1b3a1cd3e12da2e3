using System.Diagnostics;
using Reelgate.Rendering;
using static Reelgate.Tests.Rendering.RenderEdits;

namespace Reelgate.Tests.Rendering;

public class FfmpegRunnerTests(RenderFixture fixture) : IClassFixture<RenderFixture>
{
    [Fact]
    public async Task RunAsync_Cancelled_KillsFfmpegPromptlyAndRemovesThePartialOutput()
    {
        var output = """{"format":"mp4","resolution":"1080","quality":"veryhigh"}""";
        var plan = await fixture.PlanAsync(Edit(output, "", Image("white.png", 300, ",\"filter\":\"blur\",\"effect\":\"zoomIn\"")), "mp4");
        using var cancellation = new CancellationTokenSource();
        var started = new TaskCompletionSource();
        var progress = new Progress<double>(_ => started.TrySetResult());

        var run = fixture.Runner.RunAsync(plan, progress, cancellation.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(20));
        var clock = Stopwatch.StartNew();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.False(File.Exists(plan.OutputPath));
    }

    [Fact]
    public async Task RunAsync_ReportsProgressUpToOne()
    {
        var plan = await fixture.PlanAsync(Mp4(Image("blue.png", 2)), "mp4");
        var reports = new List<double>();

        await fixture.Runner.RunAsync(plan, new SynchronousProgress(reports), CancellationToken.None);

        Assert.Contains(reports, value => value is > 0 and < 1);
        Assert.Equal(1, reports[^1]);
        Assert.Equal(reports.Order(), reports);
    }

    [Fact]
    public async Task RunAsync_PastItsTimeLimit_FailsAsRenderTimeout_AndRemovesThePartialOutput()
    {
        var plan = await fixture.PlanAsync(Edit("""{"format":"mp4","resolution":"1080","quality":"veryhigh"}""", "", Image("white.png", 300, ",\"filter\":\"blur\"")), "mp4");
        var options = Microsoft.Extensions.Options.Options.Create(new RenderingOptions { TimeoutBaseSeconds = 1, TimeoutPerOutputSecond = 0 });
        var runner = new FfmpegRunner(options, fixture.Tools);
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<RenderFailedException>(() => runner.RunAsync(plan, null, CancellationToken.None));

        Assert.Equal(RenderFailedException.TimedOut, error.Code);
        Assert.Contains("limit of 1 s", error.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.False(File.Exists(plan.OutputPath));
    }

    [Fact]
    public async Task RunAsync_FfmpegError_ThrowsWithTheLastErrorLines()
    {
        var plan = await fixture.PlanAsync(Mp4(Image("blue.png")), "mp4");
        var broken = plan with { Arguments = [.. plan.Arguments.Select(a => a == "libx264" ? "no_such_encoder" : a)] };

        var error = await Assert.ThrowsAsync<RenderFailedException>(() => fixture.Runner.RunAsync(broken, null, CancellationToken.None));

        Assert.NotEqual(0, error.ExitCode);
        Assert.Equal(RenderFailedException.Failed, error.Code);
        Assert.Contains(error.StderrTail, line => line.Contains("no_such_encoder", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ProbeAsync_ReadsDurationSizeAndStreams()
    {
        var info = await fixture.Probe.ProbeAsync(fixture.Files[RenderFixture.Host + "clip.mp4"], CancellationToken.None);

        Assert.Equal(2, info.DurationSeconds, 1);
        Assert.Equal((160, 90, 25d), (info.Width, info.Height, info.Fps));
        Assert.True(info.HasVideo && info.HasAudio);
    }

    [Fact]
    public async Task ProbeAsync_StillImage_HasNoDuration()
    {
        var info = await fixture.Probe.ProbeAsync(fixture.Files[RenderFixture.Host + "red.png"], CancellationToken.None);

        Assert.Equal((0d, 64, 36, false), (info.DurationSeconds, info.Width, info.Height, info.HasAudio));
    }

    private sealed class SynchronousProgress(List<double> reports) : IProgress<double>
    {
        public void Report(double value)
        {
            lock (reports)
            {
                reports.Add(value);
            }
        }
    }
}
