using static Reelgate.Rendering.FilterSyntax;

namespace Reelgate.Rendering;

/// <summary>Compiles a resolved Edit into one ffmpeg invocation with a single filter_complex.</summary>
public static class FfmpegCompiler
{
    private const int InlineGraphLimit = 100_000;

    /// <param name="files">Local paths of the downloaded assets and fonts, keyed by URL.</param>
    /// <param name="outputPath">Where the render goes; side files and the poster/thumbnail are named after it.</param>
    public static FfmpegPlan Compile(
        Edit edit,
        ResolvedTimeline timeline,
        IReadOnlyDictionary<string, string> files,
        string outputPath,
        CompileOptions? options = null)
    {
        if (!timeline.IsValid)
        {
            throw new ArgumentException($"the timeline has errors: {string.Join("; ", timeline.Errors.Keys)}", nameof(timeline));
        }
        options ??= new CompileOptions();
        var fonts = FontCatalog.Create(options.FontDirectory,
            edit.Timeline.Fonts.Where(font => files.ContainsKey(font.Src)).Select(font => files[font.Src]));
        var context = new CompileContext(edit, timeline, files, options, OutputGeometry.For(edit.Output), fonts);
        var graph = new FilterGraph(outputPath);
        var video = edit.Output.IsAudioOnly ? null : OutputArgs.FinishVideo(graph, context, VideoGraph.Build(graph, context));
        string? audio = null;
        if (edit.Output.Format is "mp4" or "webm" or "mov" or "mp3")
        {
            audio = edit.Output.Mute ? null : AudioGraph.Build(graph, context);
            if (edit.Output.IsAudioOnly)
            {
                audio = graph.Chain([audio ?? AudioGraph.Silence(graph, timeline.TotalSeconds)], ["anull"], "aout");
            }
            else if (audio is not null)
            {
                audio = graph.Chain([audio], ["anull"], "aout");
            }
        }
        var arguments = OutputArgs.Head(options);
        arguments.AddRange(graph.InputArguments);
        if (graph.Text.Length > InlineGraphLimit)
        {
            arguments.AddRange(["-filter_complex_script", graph.AddTextFile(graph.Text)]);
        }
        else
        {
            arguments.AddRange(["-filter_complex", graph.Text]);
        }
        arguments.AddRange(OutputArgs.Encode(context, video, audio, outputPath));
        var duration = timeline.IsStill ? 0 : timeline.TotalSeconds;
        return new FfmpegPlan("render", arguments, duration, outputPath, graph.Files, FollowUps(edit.Output, timeline, outputPath), graph.Text);
    }

    private static List<FfmpegPlan> FollowUps(Output output, ResolvedTimeline timeline, string outputPath)
    {
        var plans = new List<FfmpegPlan>();
        if (output.Format is not ("mp4" or "webm" or "mov" or "gif"))
        {
            return plans;
        }
        var stem = Path.Combine(Path.GetDirectoryName(outputPath) ?? ".", Path.GetFileNameWithoutExtension(outputPath));
        if (output.Poster is { } poster)
        {
            plans.Add(Frame("poster", outputPath, $"{stem}-poster.jpg", Capture(poster.Capture, timeline), null));
        }
        if (output.Thumbnail is { } thumbnail)
        {
            var scale = $"scale=max(2\\,trunc(iw*{Num(thumbnail.Scale)}/2)*2):max(2\\,trunc(ih*{Num(thumbnail.Scale)}/2)*2)";
            plans.Add(Frame("thumbnail", outputPath, $"{stem}-thumb.jpg", Capture(thumbnail.Capture, timeline), scale));
        }
        return plans;
    }

    private static double Capture(double seconds, ResolvedTimeline timeline) => Math.Clamp(seconds, 0, Math.Max(0, timeline.TotalSeconds - 0.1));

    private static FfmpegPlan Frame(string kind, string source, string target, double at, string? filter)
    {
        List<string> args = ["-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-ss", Num(at), "-i", source];
        if (filter is not null)
        {
            args.AddRange(["-vf", filter]);
        }
        args.AddRange(["-frames:v", "1", "-q:v", "2", "-update", "1", "-f", "image2", target]);
        return new FfmpegPlan(kind, args, 0, target, [], [], filter);
    }
}
