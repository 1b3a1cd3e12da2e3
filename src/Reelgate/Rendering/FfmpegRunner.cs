using System.Globalization;
using Microsoft.Extensions.Options;

namespace Reelgate.Rendering;

/// <summary>
/// Runs a compiled plan with ffmpeg inside the folder its output goes to, reporting progress from 0 to 1, then its
/// poster and thumbnail, within a time limit scaled to the output's length.
/// </summary>
public sealed class FfmpegRunner(IOptions<RenderingOptions> options, ToolRunner tools)
{
    private readonly RenderingOptions _options = options.Value;

    /// <exception cref="RenderFailedException">ffmpeg failed, ran out of memory, or took longer than its limit (render-timeout).</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled; ffmpeg has been killed.</exception>
    public async Task RunAsync(FfmpegPlan plan, IProgress<double>? progress, CancellationToken ct)
    {
        var limit = _options.TimeoutFor(plan.DurationSeconds);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(limit);
        var scope = ToolScope.Folder(Path.GetDirectoryName(Path.GetFullPath(plan.OutputPath))!);
        try
        {
            foreach (var file in plan.Files)
            {
                await File.WriteAllTextAsync(file.Path, file.Content, ct);
            }
            await tools.RunAsync(_options.FfmpegPath, plan.Arguments, scope, line => Report(line, plan.DurationSeconds, progress), timeout.Token);
            foreach (var followUp in plan.FollowUps)
            {
                await tools.RunAsync(_options.FfmpegPath, followUp.Arguments, scope, _ => { }, timeout.Token);
            }
            progress?.Report(1);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            File.Delete(plan.OutputPath);
            throw new RenderFailedException(RenderFailedException.TimedOut,
                string.Create(CultureInfo.InvariantCulture, $"The render took longer than its limit of {limit.TotalSeconds:0} s."));
        }
        catch
        {
            File.Delete(plan.OutputPath);
            throw;
        }
        finally
        {
            foreach (var file in plan.Files)
            {
                File.Delete(file.Path);
            }
        }
    }

    private static void Report(string line, double durationSeconds, IProgress<double>? progress)
    {
        if (progress is null || durationSeconds <= 0 || !line.StartsWith("out_time_us=", StringComparison.Ordinal))
        {
            return;
        }
        if (long.TryParse(line.AsSpan("out_time_us=".Length), NumberStyles.Integer, CultureInfo.InvariantCulture, out var microseconds))
        {
            progress.Report(Math.Clamp(microseconds / 1_000_000.0 / durationSeconds, 0, 1));
        }
    }
}
