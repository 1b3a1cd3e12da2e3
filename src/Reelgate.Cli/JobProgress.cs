using System.Text.Json;
using Spectre.Console;

namespace Reelgate.Cli;

/// <summary>
/// Follows a job by long polls until it ends. On a terminal each phase has a bar (rendering shows the job's own
/// progress); elsewhere one line per phase goes to stderr.
/// </summary>
public sealed class JobProgress(ApiClient api, Output output)
{
    private static readonly string[] Phases = ["queued", "fetching", "rendering", "saving"];

    /// <summary>Runs <paramref name="work"/> inside a live progress display on a terminal, or with none.</summary>
    public static async Task<T> RunAsync<T>(Output output, Func<ProgressContext?, Task<T>> work)
    {
        if (!output.Live) return await work(null);
        T result = default!;
        await output.Console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
            .StartAsync(async context => result = await work(context));
        return result;
    }

    public async Task<JsonElement> FollowAsync(string jobId, ProgressContext? context, CancellationToken ct)
    {
        var bars = context is null ? null : Phases.ToDictionary(p => p, p => context.AddTask(Capitalize(p), autoStart: false, maxValue: 1));
        var job = await api.GetAsync($"api/v1/job/{jobId}", ct);
        string? shown = null;
        while (true)
        {
            var status = job.GetProperty("status").GetString()!;
            if (bars is not null) Draw(bars, status, job.GetProperty("progress").GetDouble());
            else if (status != shown) output.Note($"{jobId}: {status}");
            shown = status;
            if (JobText.IsFinal(status)) return job;
            // A phase change answers at once; while rendering, the bar's percentage wants a fresh read every two seconds.
            var wait = status == "rendering" ? 2 : 30;
            job = await api.GetAsync($"api/v1/job/{jobId}?wait={wait}&since={status}", ct);
        }
    }

    private static void Draw(Dictionary<string, ProgressTask> bars, string status, double progress)
    {
        var current = Array.IndexOf(Phases, status);
        for (var i = 0; i < Phases.Length; i++)
        {
            var bar = bars[Phases[i]];
            if (status == "done" || i < current)
            {
                bar.IsIndeterminate = false;
                bar.Value = 1;
                bar.StopTask();
            }
            else if (i == current)
            {
                if (!bar.IsStarted) bar.StartTask();
                bar.IsIndeterminate = status != "rendering";
                if (status == "rendering") bar.Value = Math.Clamp(progress, 0, 1);
            }
            else if (JobText.IsFinal(status) && bar.IsStarted)
            {
                bar.StopTask();
            }
        }
        if (status is "failed" or "canceled")
        {
            foreach (var bar in bars.Values.Where(b => b.IsStarted && !b.IsFinished))
            {
                bar.Description = $"{bar.Description} [red]({status})[/]";
                bar.StopTask();
            }
        }
    }

    private static string Capitalize(string phase) => char.ToUpperInvariant(phase[0]) + phase[1..];
}
