using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Reelgate.Rendering;

/// <summary>Reads duration, size, rate and streams of media files with ffprobe.</summary>
public sealed class MediaProbe(IOptions<RenderingOptions> options, ToolRunner tools)
{
    private readonly RenderingOptions _options = options.Value;

    /// <exception cref="RenderFailedException">ffprobe could not read the file.</exception>
    public async Task<MediaInfo> ProbeAsync(string path, CancellationToken ct)
    {
        var json = new StringBuilder();
        await tools.RunAsync(_options.FfprobePath,
            ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", "-i", path], ToolScope.File(path), line => json.AppendLine(line), ct);
        return Parse(json.ToString());
    }

    /// <summary>Probes every media asset of the Edit (not its fonts), keyed by URL, for TimelineResolver and the compiler.</summary>
    public async Task<IReadOnlyDictionary<string, MediaInfo>> ProbeAssetsAsync(Edit edit, IReadOnlyDictionary<string, string> files, CancellationToken ct)
    {
        var probes = EditAssets.MediaUrls(edit).Distinct(StringComparer.Ordinal)
            .Where(files.ContainsKey)
            .Select(async url => (url, info: await ProbeAsync(files[url], ct)))
            .ToList();
        return (await Task.WhenAll(probes)).ToDictionary(p => p.url, p => p.info, StringComparer.Ordinal);
    }

    internal static MediaInfo Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var streams = root.TryGetProperty("streams", out var list) ? list.EnumerateArray().ToList() : [];
        var video = streams.FirstOrDefault(s => Text(s, "codec_type") == "video" && !IsAttachedPicture(s));
        var hasVideo = video.ValueKind == JsonValueKind.Object;
        var format = root.TryGetProperty("format", out var f) ? f : default;
        var formatName = format.ValueKind == JsonValueKind.Object ? Text(format, "format_name") ?? "" : "";
        var duration = format.ValueKind == JsonValueKind.Object ? Number(Text(format, "duration")) : 0;
        if (formatName.EndsWith("_pipe", StringComparison.Ordinal) || formatName == "image2")
        {
            duration = 0;
        }
        return new MediaInfo(
            duration,
            hasVideo && video.TryGetProperty("width", out var w) ? w.GetInt32() : 0,
            hasVideo && video.TryGetProperty("height", out var h) ? h.GetInt32() : 0,
            hasVideo ? Rate(Text(video, "avg_frame_rate")) is > 0 and var avg ? avg : Rate(Text(video, "r_frame_rate")) : 0,
            hasVideo,
            streams.Any(s => Text(s, "codec_type") == "audio"),
            formatName);
    }

    private static bool IsAttachedPicture(JsonElement stream) =>
        stream.TryGetProperty("disposition", out var disposition)
        && disposition.TryGetProperty("attached_pic", out var attached) && attached.GetInt32() == 1;

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static double Number(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : 0;

    private static double Rate(string? text)
    {
        var parts = (text ?? "").Split('/');
        return parts.Length == 2 && Number(parts[1]) > 0 ? Number(parts[0]) / Number(parts[1]) : Number(text);
    }
}
