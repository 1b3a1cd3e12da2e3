using System.CommandLine;
using Spectre.Console;

namespace Reelgate.Cli;

/// <summary><c>reelgate jobs</c>, <c>job</c>, <c>cancel</c> and <c>download</c>.</summary>
public static class JobCommands
{
    public static Command List()
    {
        var status = new Option<string?>("--status") { Description = "Only jobs in this status" };
        status.AcceptOnlyFromAmong("queued", "fetching", "rendering", "saving", "done", "failed", "canceled");
        var kind = new Option<string?>("--kind") { Description = "Only render, generation or assembly jobs" };
        kind.AcceptOnlyFromAmong("render", "generation", "assembly");
        var limit = new Option<int>("--limit") { Description = "How many, newest first (1-100)", DefaultValueFactory = _ => 20 };
        var command = new Command("jobs", "List your jobs, newest first") { status, kind, limit };
        return command.WithApiAction(async (parse, api, output, ct) =>
        {
            var query = $"api/v1/jobs?limit={parse.GetValue(limit)}";
            if (parse.GetValue(status) is { } s) query += $"&status={s}";
            if (parse.GetValue(kind) is { } k) query += $"&kind={k}";
            var page = await api.GetAsync(query, ct);
            if (output.Json)
            {
                output.Raw(page);
                return ExitCodes.Ok;
            }
            var table = new Table().AddColumn(new TableColumn("ID").NoWrap()).AddColumns("Kind", "Status", "Progress", "Provider", "Created", "Charged");
            foreach (var job in page.GetProperty("data").EnumerateArray())
            {
                table.AddRow(Markup.Escape(JobText.Text(job, "id")), Markup.Escape(JobText.Text(job, "kind")), JobText.Status(JobText.Text(job, "status")),
                    $"{job.GetProperty("progress").GetDouble() * 100:0}%", Markup.Escape(JobText.Text(job, "provider")),
                    JobText.When(job, "createdAt"), JobText.Credits(job.GetProperty("credits"), "charged"));
            }
            output.Console.Write(table);
            return ExitCodes.Ok;
        });
    }

    public static Command Show()
    {
        var id = new Argument<string>("id") { Description = "The job's id" };
        var watch = new Option<bool>("--watch") { Description = "Follow the job until it ends" };
        var command = new Command("job", "Show one job") { id, watch };
        return command.WithApiAction(async (parse, api, output, ct) =>
        {
            var jobId = JobText.Id(parse.GetValue(id)!);
            var job = parse.GetValue(watch)
                ? await JobProgress.RunAsync(output, context => new JobProgress(api, output).FollowAsync(jobId, context, ct))
                : await api.GetAsync($"api/v1/job/{jobId}", ct);
            if (output.Json) output.Raw(job);
            else JobText.Details(output, job, withEvents: true);
            var status = JobText.Text(job, "status");
            return parse.GetValue(watch) && status != "done" ? ExitCodes.JobUnsuccessful : ExitCodes.Ok;
        });
    }

    public static Command Cancel()
    {
        var id = new Argument<string>("id") { Description = "The job's id" };
        var command = new Command("cancel", "Cancel a job and release its held credits") { id };
        return command.WithApiAction(async (parse, api, output, ct) =>
        {
            var job = await api.PostAsync($"api/v1/jobs/{JobText.Id(parse.GetValue(id)!)}/cancel", null, ct);
            if (output.Json) output.Raw(job);
            else output.Line($"Canceled job {Markup.Escape(JobText.Text(job, "id"))}; released {JobText.Credits(job.GetProperty("credits"), "released")} credits.");
            return ExitCodes.Ok;
        });
    }

    public static Command Download()
    {
        var id = new Argument<string>("id") { Description = "The job's id" };
        var saveTo = new Option<string?>("--out") { Description = "The file to write (default: <id>.mp4)", HelpName = "FILE" };
        var command = new Command("download", "Save a finished job's video") { id, saveTo };
        return command.WithApiAction(async (parse, api, output, ct) =>
        {
            var jobId = JobText.Id(parse.GetValue(id)!);
            var job = await api.GetAsync($"api/v1/job/{jobId}", ct);
            var status = JobText.Text(job, "status");
            if (status != "done") throw new CliException($"Job {jobId} is {status}; only a done job has a video (follow it with: reelgate job {jobId} --watch).");
            var saved = await JobProgress.RunAsync(output, context => Downloader.DownloadAsync(api, jobId, parse.GetValue(saveTo), context, ct));
            if (output.Json) output.Raw(System.Text.Json.JsonSerializer.SerializeToElement(new { id = jobId, path = saved, bytes = new FileInfo(saved).Length }));
            else output.Line($"Saved [bold]{Markup.Escape(saved)}[/] ({new FileInfo(saved).Length:N0} bytes)");
            return ExitCodes.Ok;
        });
    }
}
