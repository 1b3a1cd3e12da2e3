using Spectre.Console;

namespace Reelgate.Cli;

/// <summary>Saves a finished job's video (stored copy first), with a download bar on a terminal.</summary>
public static class Downloader
{
    public static async Task<string> DownloadAsync(ApiClient api, string jobId, string? outPath, ProgressContext? context, CancellationToken ct)
    {
        var list = await api.GetAsync($"api/v1/videos/{jobId}", ct);
        var videos = list.GetProperty("videos");
        if (videos.GetArrayLength() == 0) throw new CliException($"Job {jobId} has no output to download (it may have expired).");
        var url = videos[0].GetProperty("url").GetString()!;
        var extension = Path.GetExtension(new Uri(url).AbsolutePath);
        var target = Path.GetFullPath(outPath ?? $"{jobId}{(extension.Length is > 1 and <= 5 ? extension : ".mp4")}");

        using var response = await ApiClient.OpenDownloadAsync(url, ct);
        var total = response.Content.Headers.ContentLength;
        var bar = context?.AddTask($"Download {Markup.Escape(Path.GetFileName(target))}", maxValue: total is > 0 ? total.Value : 1);
        if (bar is not null && total is null) bar.IsIndeterminate = true;

        var partial = target + ".part";
        await using (var source = await response.Content.ReadAsStreamAsync(ct))
        await using (var file = File.Create(partial))
        {
            var buffer = new byte[81920];
            int read;
            while ((read = await source.ReadAsync(buffer, ct)) > 0)
            {
                await file.WriteAsync(buffer.AsMemory(0, read), ct);
                bar?.Increment(read);
            }
        }
        File.Move(partial, target, overwrite: true);
        if (bar is not null)
        {
            bar.IsIndeterminate = false;
            bar.Value = bar.MaxValue;
            bar.StopTask();
        }
        return target;
    }
}
