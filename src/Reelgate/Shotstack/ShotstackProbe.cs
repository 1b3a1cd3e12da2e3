using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Reelgate.Fetch;
using Reelgate.Rendering;

namespace Reelgate.Shotstack;

public sealed class ShotstackProbeOptions
{
    public const string Section = "Shotstack:Probe";

    /// <summary>The largest file GET /probe downloads; ffprobe needs the whole of an MP4 whose index is at the end.</summary>
    public long MaxBytes { get; set; } = 256L * 1024 * 1024;

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);
}

public abstract record ProbeResult
{
    public sealed record Probed(JsonNode Json) : ProbeResult;
    public sealed record Refused(string Error) : ProbeResult;
}

/// <summary>
/// GET /probe: downloads the media through the fetch guard to a temporary file and runs ffprobe on that file, never on
/// the URL, so ffprobe makes no connection of its own.
/// </summary>
public sealed class ShotstackProbe(
    UrlGuard guard, AssetFetcher fetcher, ToolRunner tools, IOptions<RenderingOptions> rendering, IOptions<ShotstackProbeOptions> options)
{
    public async Task<ProbeResult> ProbeAsync(string url, CancellationToken ct)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return new ProbeResult.Refused("url: must be an absolute http or https URL, percent-encoded into the path");
        }
        var verdict = await guard.ValidateAsync(uri, ct);
        if (!verdict.IsAllowed) return new ProbeResult.Refused($"url: cannot be fetched: {verdict.Reason}");

        var path = Path.Combine(Path.GetTempPath(), "reelgate-probe", Guid.NewGuid().ToString("N"));
        try
        {
            await fetcher.DownloadAsync(uri, path, new FetchRequest { MaxBytes = options.Value.MaxBytes, Timeout = options.Value.Timeout }, ct);
            var output = new StringBuilder();
            await tools.RunAsync(rendering.Value.FfprobePath,
                ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", "-i", path], ToolScope.File(path), line => output.AppendLine(line), ct);
            var json = JsonNode.Parse(output.ToString()) ?? new JsonObject();
            // ffprobe names the file it read; the caller knows it by its URL, and the local path is ours to keep.
            if (json["format"] is JsonObject format) format["filename"] = UrlGuard.Display(uri);
            return new ProbeResult.Probed(json);
        }
        catch (FetchException ex)
        {
            return new ProbeResult.Refused($"url: cannot be fetched: {ex.Message}");
        }
        catch (RenderFailedException)
        {
            return new ProbeResult.Refused("url: is not a media file ffprobe can read");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
