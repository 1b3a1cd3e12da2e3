using System.Diagnostics;
using Microsoft.Extensions.Options;
using Reelgate.Rendering;

namespace Reelgate.Tests.Rendering;

/// <summary>Generates small media with ffmpeg's lavfi sources once, and renders Edits that refer to them.</summary>
public sealed class RenderFixture : IDisposable
{
    public const string Host = "https://media.test/";

    public RenderFixture()
    {
        Directory.CreateDirectory(Root);
        Generate("red.png", "-f", "lavfi", "-i", "color=c=red:s=64x36", "-frames:v", "1");
        Generate("blue.png", "-f", "lavfi", "-i", "color=c=blue:s=160x90", "-frames:v", "1");
        Generate("white.png", "-f", "lavfi", "-i", "color=c=white:s=160x90", "-frames:v", "1");
        Generate("halves.png", "-f", "lavfi", "-i", "color=c=black:s=80x90[a];color=c=white:s=80x90[b];[a][b]hstack", "-frames:v", "1");
        Generate("clip.mp4", "-f", "lavfi", "-i", "testsrc=s=160x90:r=25:d=2", "-f", "lavfi", "-i", "sine=f=440:d=2",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest");
        File.Copy("/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf", Path.Combine(Root, "Brand.ttf"));
        Generate("tone.mp3", "-f", "lavfi", "-i", "sine=f=440:d=4", "-c:a", "libmp3lame");
        File.WriteAllText(Path.Combine(Root, "words.srt"), "1\n00:00:00,000 --> 00:00:01,000\nHELLO\n\n2\n00:00:02,000 --> 00:00:03,000\nWORLD\n");
        Options = Microsoft.Extensions.Options.Options.Create(new RenderingOptions { Preset = "ultrafast", Threads = 1 });
        Tools = new ToolRunner(Options, Microsoft.Extensions.Logging.Abstractions.NullLogger<ToolRunner>.Instance);
        Runner = new FfmpegRunner(Options, Tools);
        Probe = new MediaProbe(Options, Tools);
        Browsers = new ChromiumPool(Options, Microsoft.Extensions.Logging.Abstractions.NullLogger<ChromiumPool>.Instance);
        Rasterizer = new ClipRasterizer(Browsers, Options, Microsoft.Extensions.Logging.Abstractions.NullLogger<ClipRasterizer>.Instance);
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "reelgate-render-" + Guid.NewGuid().ToString("N"));

    public IOptions<RenderingOptions> Options { get; }

    public ToolRunner Tools { get; }

    public FfmpegRunner Runner { get; }

    public MediaProbe Probe { get; }

    public ChromiumPool Browsers { get; }

    public ClipRasterizer Rasterizer { get; }

    public IReadOnlyDictionary<string, string> Files =>
        Directory.EnumerateFiles(Root).ToDictionary(path => Host + Path.GetFileName(path), path => path);

    /// <summary>Parses, probes, resolves and compiles an Edit into a plan writing to a fresh file.</summary>
    public async Task<FfmpegPlan> PlanAsync(string json, string extension)
    {
        var parsed = EditParser.Parse(json);
        Assert.True(parsed.IsValid, string.Join("; ", parsed.Errors.Select(e => $"{e.Key}: {string.Join(",", e.Value)}")));
        var files = new Dictionary<string, string>(Files);
        var media = await Probe.ProbeAssetsAsync(parsed.Edit!, files, CancellationToken.None);
        var timeline = TimelineResolver.Resolve(parsed.Edit!, MediaInfo.Durations(media));
        Assert.True(timeline.IsValid, string.Join("; ", timeline.Errors.Keys));
        // Each render draws into a folder of its own, as each job does, so renders running together never share a drawing's file.
        var drawings = Directory.CreateDirectory(Path.Combine(Root, $"drawn-{Guid.NewGuid():N}")).FullName;
        var drawn = await Rasterizer.DrawAsync(parsed.Edit!, timeline, files, drawings, CancellationToken.None);
        media = ClipRasterizer.AddTo(files, media, drawn);
        // ffmpeg reads only inside the folder its output goes to, so renders are written beside the media.
        var output = Path.Combine(Root, $"out-{Guid.NewGuid():N}.{extension}");
        return FfmpegCompiler.Compile(parsed.Edit!, timeline, files, output, Options.Value.ToCompileOptions(media));
    }

    public async Task<string> RenderAsync(string json, string extension = "mp4")
    {
        var plan = await PlanAsync(json, extension);
        await Runner.RunAsync(plan, null, CancellationToken.None);
        return plan.OutputPath;
    }

    public void Dispose()
    {
        Browsers.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(Root, recursive: true);
    }

    private void Generate(string name, params string[] arguments)
    {
        using var process = Process.Start("/usr/bin/ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", .. arguments, Path.Combine(Root, name)]);
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }
}
