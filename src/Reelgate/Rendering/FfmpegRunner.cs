using System.Globalization;
using Microsoft.Extensions.Options;

namespace Reelgate.Rendering;

/// <summary>Runs a compiled plan with ffmpeg, reporting progress from 0 to 1, then its poster and thumbnail.</summary>
public sealed class FfmpegRunner(IOptions<RenderingOptions> options)
{
    private readonly RenderingOptions _options = options.Value;

    /// <exception cref="RenderFailedException">ffmpeg exited with an error.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled; ffmpeg has been killed.</exception>
    public async Task RunAsync(FfmpegPlan plan, IProgress<double>? progress, CancellationToken ct)
    {
        try
        {
            foreach (var file in plan.Files)
            {
                await File.WriteAllTextAsync(file.Path, file.Content, ct);
            }
            await ToolProcess.RunAsync(_options.FfmpegPath, plan.Arguments, line => Report(line, plan.DurationSeconds, progress), ct);
            foreach (var followUp in plan.FollowUps)
            {
                await ToolProcess.RunAsync(_options.FfmpegPath, followUp.Arguments, _ => { }, ct);
            }
            progress?.Report(1);
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
