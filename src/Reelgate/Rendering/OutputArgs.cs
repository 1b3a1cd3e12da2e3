using static Reelgate.Rendering.FilterSyntax;

namespace Reelgate.Rendering;

/// <summary>Encoder arguments per output format and quality.</summary>
internal static class OutputArgs
{
    public static List<string> Head(CompileOptions options)
    {
        List<string> head = ["-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-progress", "pipe:1", "-nostats"];
        if (options.Threads > 0)
        {
            head.AddRange(["-filter_complex_threads", Num(options.Threads)]);
        }
        return head;
    }

    /// <summary>Finishes the composited picture: cuts output.range, applies scaleTo and the format's pixel layout.</summary>
    public static string FinishVideo(FilterGraph graph, CompileContext context, string composite)
    {
        var geometry = context.Geometry;
        var duration = context.Timeline.IsStill ? 1 / geometry.Fps : context.Timeline.TotalSeconds;
        var filters = new List<string> { $"trim=start={Num(context.Timeline.RangeStart)}:duration={Num(duration)}", "setpts=PTS-STARTPTS" };
        if (geometry.FinalWidth != geometry.Width || geometry.FinalHeight != geometry.Height)
        {
            filters.Add($"scale={geometry.FinalWidth}:{geometry.FinalHeight}");
        }
        switch (context.Edit.Output.Format)
        {
            case "gif":
                var cut = graph.Chain([composite], filters);
                graph.Raw($"[{cut}]split[gifa][gifb];[gifa]palettegen=stats_mode=diff[gifp];[gifb][gifp]paletteuse=dither=bayer[vout]");
                return "vout";
            case "png":
                filters.Add("format=rgb24");
                break;
            case "jpg":
                filters.Add("format=yuvj420p");
                break;
            case "bmp":
                filters.Add("format=bgr24");
                break;
            default:
                filters.Add("format=yuv420p");
                break;
        }
        return graph.Chain([composite], filters, "vout");
    }

    public static List<string> Encode(CompileContext context, string? video, string? audio, string outputPath)
    {
        var output = context.Edit.Output;
        var options = context.Options;
        var args = new List<string>();
        if (video is not null)
        {
            args.AddRange(["-map", $"[{video}]"]);
        }
        if (audio is not null)
        {
            args.AddRange(["-map", $"[{audio}]"]);
        }
        if (options.Threads > 0)
        {
            args.AddRange(["-threads", Num(options.Threads)]);
        }
        var seconds = Num(context.Timeline.TotalSeconds);
        switch (output.Format)
        {
            case "mp4" or "mov":
                // The same H.264 and AAC streams; only the container differs.
                var (crf, preset) = Quality(output.Quality);
                args.AddRange(["-c:v", "libx264", "-preset", options.Preset ?? preset, "-crf", Num(crf), "-pix_fmt", "yuv420p",
                    "-r", Num(context.Geometry.Fps)]);
                if (audio is not null)
                {
                    args.AddRange(["-c:a", "aac", "-b:a", "192k"]);
                }
                args.AddRange(["-movflags", "+faststart", "-t", seconds, "-f", output.Format]);
                break;
            case "webm":
                // VP9 in constant-quality mode; realtime speed keeps it near x264's pace on a CPU-bound worker.
                args.AddRange(["-c:v", "libvpx-vp9", "-b:v", "0", "-crf", Num(Vp9Crf(output.Quality)), "-deadline", "realtime", "-cpu-used", "8",
                    "-row-mt", "1", "-pix_fmt", "yuv420p", "-r", Num(context.Geometry.Fps)]);
                if (audio is not null)
                {
                    args.AddRange(["-c:a", "libopus", "-b:a", "160k"]);
                }
                args.AddRange(["-t", seconds, "-f", "webm"]);
                break;
            case "gif":
                args.AddRange(["-loop", output.Repeat ? "0" : "-1", "-t", seconds, "-f", "gif"]);
                break;
            case "mp3":
                args.AddRange(["-c:a", "libmp3lame", "-b:a", "192k", "-t", seconds, "-f", "mp3"]);
                break;
            default:
                args.AddRange(["-frames:v", "1", "-update", "1"]);
                if (output.Format == "jpg")
                {
                    args.AddRange(["-q:v", "2"]);
                }
                args.AddRange(["-f", "image2"]);
                break;
        }
        args.Add(outputPath);
        return args;
    }

    private static int Vp9Crf(string quality) => quality switch
    {
        "verylow" => 50,
        "low" => 42,
        "high" => 28,
        "veryhigh" => 23,
        _ => 35,
    };

    private static (int Crf, string Preset) Quality(string quality) => quality switch
    {
        "verylow" => (35, "ultrafast"),
        "low" => (29, "superfast"),
        "high" => (20, "fast"),
        "veryhigh" => (17, "medium"),
        _ => (23, "veryfast"),
    };
}
