using System.Globalization;
using System.Text;
using Reelgate.Rendering;

namespace Reelgate.Generation;

/// <summary>
/// ffmpeg plans for clips made without a model: a slow pan and zoom over an image, or the prompt as an animated
/// title card. The seed picks the zoom direction and the pan's anchor, so the same request gives the same clip.
/// </summary>
public static class LocalMotion
{
    public static (int Width, int Height) Size(string ratio, int shortSide)
    {
        var even = shortSide / 2 * 2;
        var longSide = (int)Math.Round(even * 16 / 9.0 / 2) * 2;
        return ratio switch
        {
            "9:16" => (even, longSide),
            "1:1" => (even, even),
            _ => (longSide, even),
        };
    }

    public static FfmpegPlan PanZoom(string image, string output, GenerationInput input, int shortSide, int fps, RenderingOptions rendering)
    {
        var (width, height) = Size(input.Ratio, shortSide);
        var frames = input.DurationSec * fps;
        var zoomIn = input.Seed % 2 == 0;
        var anchors = new[] { 0.0, 0.5, 1.0 };
        var anchorX = anchors[(int)(input.Seed / 2 % 3)];
        var anchorY = anchors[(int)(input.Seed / 6 % 3)];
        var zoom = zoomIn ? $"1+0.25*on/{frames}" : $"1.25-0.25*on/{frames}";
        // Scaling to twice the output first keeps zoompan's whole-pixel steps from showing as jitter.
        var filter = string.Create(CultureInfo.InvariantCulture,
            $"scale={width * 2}:{height * 2}:force_original_aspect_ratio=increase,crop={width * 2}:{height * 2},setsar=1," +
            $"zoompan=z='{zoom}':x='(iw-iw/zoom)*{anchorX}':y='(ih-ih/zoom)*{anchorY}':d={frames}:s={width}x{height}:fps={fps},format=yuv420p");
        List<string> args = [.. Head(rendering), "-i", image, "-vf", filter, .. Encode(rendering, frames, fps, output)];
        return new FfmpegPlan("generation", args, input.DurationSec, output, [], [], filter);
    }

    public static FfmpegPlan TitleCard(string output, string workDir, GenerationInput input, int shortSide, int fps, RenderingOptions rendering)
    {
        var (width, height) = Size(input.Ratio, shortSide);
        var frames = input.DurationSec * fps;
        var textFile = Path.Combine(workDir, "prompt.txt");
        var fontSize = Math.Max(8, Math.Min(width, height) / 14);
        var text = Wrap(input.Prompt ?? "", Math.Max(8, width * 10 / 6 / fontSize), maxLines: 6);
        var font = Path.Combine(rendering.FontDirectory, "DejaVuSans-Bold.ttf");
        var palette = new[] { ("0x14213d", "0xfca311"), ("0x2b2d42", "0xef233c"), ("0x1b4332", "0x95d5b2"), ("0x3c096c", "0xff9e00") };
        var (background, accent) = palette[(int)(input.Seed % palette.Length)];
        // The text fades in and rises during the first second; an accent bar slides in across the whole clip.
        var filter = string.Create(CultureInfo.InvariantCulture,
            $"[0:v]drawtext=fontfile='{Escape(font)}':textfile='{Escape(textFile)}':fontcolor=white:fontsize={fontSize}:line_spacing={fontSize / 3}:" +
            $"x=(w-text_w)/2:y='(h-text_h)/2+(h/12)*(1-min(t,1))':alpha='min(t,1)'[card];" +
            $"[card][1:v]overlay=x='-w+w*t/{input.DurationSec}':y=H-h,format=yuv420p[v]");
        var barHeight = Math.Max(2, height / 40 / 2 * 2);
        List<string> args =
        [
            .. Head(rendering),
            "-f", "lavfi", "-i", string.Create(CultureInfo.InvariantCulture, $"color=c={background}:s={width}x{height}:r={fps}:d={input.DurationSec}"),
            "-f", "lavfi", "-i", string.Create(CultureInfo.InvariantCulture, $"color=c={accent}:s={width}x{barHeight}:r={fps}:d={input.DurationSec}"),
            "-filter_complex", filter, "-map", "[v]",
            .. Encode(rendering, frames, fps, output),
        ];
        return new FfmpegPlan("generation", args, input.DurationSec, output, [new PlanFile(textFile, text)], [], filter);
    }

    /// <summary>Breaks the prompt into lines of at most <paramref name="width"/> characters; what does not fit ends in an ellipsis.</summary>
    public static string Wrap(string text, int width, int maxLines)
    {
        var lines = new List<string>();
        var line = new StringBuilder();
        foreach (var word in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var piece = word.Length > width ? word[..width] : word;
            if (line.Length > 0 && line.Length + 1 + piece.Length > width)
            {
                lines.Add(line.ToString());
                line.Clear();
            }
            if (line.Length > 0) line.Append(' ');
            line.Append(piece);
        }
        if (line.Length > 0) lines.Add(line.ToString());
        if (lines.Count > maxLines)
        {
            lines = lines[..maxLines];
            var last = lines[^1];
            lines[^1] = (last.Length + 1 > width ? last[..(width - 1)] : last) + "…";
        }
        return string.Join('\n', lines);
    }

    private static List<string> Head(RenderingOptions rendering)
    {
        List<string> head = ["-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-progress", "pipe:1", "-nostats"];
        if (rendering.Threads > 0) head.AddRange(["-filter_complex_threads", rendering.Threads.ToString(CultureInfo.InvariantCulture)]);
        return head;
    }

    private static List<string> Encode(RenderingOptions rendering, int frames, int fps, string output)
    {
        List<string> args = ["-frames:v", frames.ToString(CultureInfo.InvariantCulture), "-r", fps.ToString(CultureInfo.InvariantCulture)];
        if (rendering.Threads > 0) args.AddRange(["-threads", rendering.Threads.ToString(CultureInfo.InvariantCulture)]);
        args.AddRange(["-c:v", "libx264", "-preset", rendering.Preset ?? "medium", "-crf", "23", "-pix_fmt", "yuv420p", "-movflags", "+faststart", "-f", "mp4", output]);
        return args;
    }

    /// <summary>Quoted filter options take everything literally up to the next quote, so only quotes need escaping.</summary>
    private static string Escape(string path) => path.Replace("'", "'\\''", StringComparison.Ordinal);
}
