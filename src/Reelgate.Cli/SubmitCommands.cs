using System.CommandLine;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Reelgate.Cli;

/// <summary><c>reelgate render</c> and <c>reelgate generate</c>: submit, then optionally follow the job and save the video.</summary>
public static class SubmitCommands
{
    public static Command Render()
    {
        var edit = new Argument<string>("edit") { Description = "A Shotstack Edit as a JSON file ('-' reads stdin)" };
        var provider = new Option<string?>("--provider") { Description = "Where to render: local or shotstack" };
        var (wait, output) = FollowOptions();
        var command = new Command("render", "Render a Shotstack Edit") { edit, provider, wait, output };
        return command.WithApiAction(async (parse, api, console, ct) =>
        {
            var path = parse.GetValue(edit)!;
            if (path != "-" && !File.Exists(path)) throw new CliException($"{path}: no such file.");
            var body = path == "-" ? await Console.In.ReadToEndAsync(ct) : await File.ReadAllTextAsync(path, ct);
            var query = parse.GetValue(provider) is { } name ? $"?provider={Uri.EscapeDataString(name)}" : "";
            var queued = await api.PostAsync($"api/v1/render{query}", new StringContent(body, Encoding.UTF8, "application/json"), ct);
            return await FinishAsync(api, console, queued, parse.GetValue(wait), parse.GetValue(output), ct);
        });
    }

    public static Command Generate()
    {
        var prompt = new Option<string?>("--prompt") { Description = "What the clip shows" };
        var image = new Option<string?>("--image") { Description = "A JPEG, PNG or WebP file to upload, or an http(s) URL", HelpName = "FILE|URL" };
        var duration = new Option<int>("--duration") { Description = "Clip length in seconds", DefaultValueFactory = _ => 5 };
        duration.AcceptOnlyFromAmong("5", "10", "15");
        var provider = new Option<string?>("--provider") { Description = "Where to generate (local, runway, runpod)" };
        var (wait, output) = FollowOptions();
        var command = new Command("generate", "Generate a clip from a prompt and/or an image") { prompt, image, duration, provider, wait, output };
        return command.WithApiAction(async (parse, api, console, ct) =>
        {
            var text = parse.GetValue(prompt);
            var picture = parse.GetValue(image);
            if (string.IsNullOrWhiteSpace(text) && string.IsNullOrWhiteSpace(picture)) throw new CliException("Give --prompt, --image or both.");
            var body = new Dictionary<string, object?> { ["prompt"] = text, ["durationSec"] = parse.GetValue(duration), ["provider"] = parse.GetValue(provider) };
            if (picture is not null)
            {
                if (File.Exists(picture)) body["uploadId"] = await UploadAsync(api, picture, console, ct);
                else if (Uri.TryCreate(picture, UriKind.Absolute, out var url) && url.Scheme is "http" or "https") body["imageUrl"] = picture;
                else throw new CliException($"--image: '{picture}' is neither a file nor an http(s) URL.");
            }
            var queued = await api.PostJsonAsync("api/v1/generate", body.Where(p => p.Value is not null).ToDictionary(), ct);
            return await FinishAsync(api, console, queued, parse.GetValue(wait), parse.GetValue(output), ct);
        });
    }

    private static (Option<bool> Wait, Option<string?> Out) FollowOptions() =>
        (new Option<bool>("--wait") { Description = "Follow the job until it ends" },
         new Option<string?>("--out") { Description = "Save the video to this file when done (implies --wait)", HelpName = "FILE" });

    private static async Task<string> UploadAsync(ApiClient api, string path, Output output, CancellationToken ct)
    {
        output.Note($"Uploading {Path.GetFileName(path)}");
        var file = new StreamContent(File.OpenRead(path));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var form = new MultipartFormDataContent { { file, "file", Path.GetFileName(path) } };
        var upload = await api.PostAsync("api/v1/uploads", form, ct);
        return upload.GetProperty("id").GetString()!;
    }

    private static async Task<int> FinishAsync(ApiClient api, Output output, JsonElement queued, bool wait, string? saveTo, CancellationToken ct)
    {
        var id = queued.GetProperty("id").GetString()!;
        if (!wait && saveTo is null)
        {
            if (output.Json) output.Raw(queued);
            else output.Line($"Queued job [bold]{id}[/] (held {JobText.Credits(queued.GetProperty("credits"), "held")} credits). Follow it with: reelgate job {id} --watch");
            return ExitCodes.Ok;
        }
        var (job, saved) = await JobProgress.RunAsync(output, async context =>
        {
            var ended = await new JobProgress(api, output).FollowAsync(id, context, ct);
            var done = JobText.Text(ended, "status") == "done";
            return (ended, saveTo is not null && done ? await Downloader.DownloadAsync(api, id, saveTo, context, ct) : null);
        });
        if (output.Json) output.Raw(job);
        else JobText.Result(output, job, saved);
        return JobText.Text(job, "status") == "done" ? ExitCodes.Ok : ExitCodes.JobUnsuccessful;
    }
}
