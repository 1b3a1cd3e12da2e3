using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace Reelgate.Cli;

/// <summary>How jobs read on a terminal.</summary>
public static class JobText
{
    public static bool IsFinal(string status) => status is "done" or "failed" or "canceled";

    public static string Status(string status) => status switch
    {
        "done" => "[green]done[/]",
        "failed" => "[red]failed[/]",
        "canceled" => "[yellow]canceled[/]",
        _ => $"[blue]{Markup.Escape(status)}[/]",
    };

    /// <summary>A job id as the API takes it; anything else is refused before a request is made.</summary>
    public static string Id(string value) =>
        Guid.TryParse(value, out var id) ? id.ToString() : throw new CliException($"'{value}' is not a job id (a UUID such as 0190b6e2-…).");

    public static void Details(Output output, JsonElement job, bool withEvents)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        void Row(string name, string markup) => grid.AddRow($"[grey]{name}[/]", markup);
        Row("id", Markup.Escape(Text(job, "id")));
        Row("kind", Markup.Escape(Text(job, "kind")));
        Row("status", Status(Text(job, "status")));
        Row("progress", $"{job.GetProperty("progress").GetDouble() * 100:0}%");
        Row("provider", Markup.Escape(Text(job, "provider")));
        Row("created", Markup.Escape(Text(job, "createdAt")));
        if (job.TryGetProperty("completedAt", out var completed) && completed.ValueKind == JsonValueKind.String) Row("completed", Markup.Escape(completed.GetString()!));
        if (job.TryGetProperty("duration", out var duration) && duration.ValueKind == JsonValueKind.Number) Row("duration", $"{duration.GetDouble():0.##} s");
        var credits = job.GetProperty("credits");
        Row("credits", $"held {Credits(credits, "held")} · charged {Credits(credits, "charged")} · released {Credits(credits, "released")}");
        if (job.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
        {
            Row("error", $"[red]{Markup.Escape(Text(error, "code"))}[/]: {Markup.Escape(Text(error, "message"))}");
        }
        foreach (var item in job.GetProperty("outputs").EnumerateArray())
        {
            Row(Text(item, "kind"), $"[link]{Markup.Escape(Text(item, "url"))}[/]");
        }
        output.Console.Write(grid);
        if (!withEvents || !job.TryGetProperty("events", out var events) || events.GetArrayLength() == 0) return;
        var table = new Table().Border(TableBorder.Simple).AddColumn("at").AddColumn("status").AddColumn("message");
        foreach (var e in events.EnumerateArray()) table.AddRow(Markup.Escape(Text(e, "at")), Status(Text(e, "status")), Markup.Escape(Text(e, "message")));
        output.Console.Write(table);
    }

    /// <summary>The last word after following a job: what it cost and where the video is.</summary>
    public static void Result(Output output, JsonElement job, string? savedTo)
    {
        var status = Text(job, "status");
        var credits = job.GetProperty("credits");
        output.Line($"Job {Markup.Escape(Text(job, "id"))} {Status(status)} · charged {Credits(credits, "charged")} credits");
        if (job.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
        {
            output.Line($"[red]{Markup.Escape(Text(error, "code"))}[/]: {Markup.Escape(Text(error, "message"))}");
        }
        if (savedTo is not null) output.Line($"Saved [bold]{Markup.Escape(savedTo)}[/]");
        else if (status == "done" && job.GetProperty("outputs").EnumerateArray().FirstOrDefault() is { ValueKind: JsonValueKind.Object } first)
        {
            output.Line($"Video: {Markup.Escape(Text(first, "url"))}");
        }
    }

    /// <summary>A time from the API, short enough for a table column: "2026-12-01 21:05" (UTC).</summary>
    public static string When(JsonElement element, string name) =>
        DateTime.TryParse(Text(element, name), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at)
            ? at.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)
            : Text(element, name);

    public static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value.ToString() : "";

    public static string Credits(JsonElement credits, string name) =>
        credits.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            ? value.GetDecimal().ToString("0.00", CultureInfo.InvariantCulture)
            : "0.00";
}
