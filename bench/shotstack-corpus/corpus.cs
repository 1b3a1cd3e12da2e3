#:project ../../src/Reelgate/Reelgate.csproj
// Renders a folder of Shotstack Edits with the local renderer, each with its media swapped for local files of
// the same kind, and prints how many rendered and why the others were refused or failed.
// Usage: dotnet run bench/shotstack-corpus/corpus.cs <folder of .json Edits> [seconds rendered per Edit, default 1]
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using Reelgate.Rendering;

var folder = args.Length > 0 ? args[0] : throw new ArgumentException("give a folder of Edit JSON files");
var seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 1;
var work = Directory.CreateTempSubdirectory("reelgate-corpus-").FullName;
var media = new Dictionary<string, string>
{
    ["video"] = Make("clip.mp4", "-f", "lavfi", "-i", "testsrc=s=640x360:r=25:d=12", "-f", "lavfi", "-i", "sine=f=440:d=12", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest"),
    ["image"] = Make("image.jpg", "-f", "lavfi", "-i", "testsrc=s=640x360", "-frames:v", "1"),
    ["audio"] = Make("tone.mp3", "-f", "lavfi", "-i", "sine=f=440:d=30", "-c:a", "libmp3lame"),
    ["luma"] = Make("luma.mp4", "-f", "lavfi", "-i", "gradients=s=640x360:d=3", "-vf", "format=gray,format=yuv420p", "-c:v", "libx264", "-preset", "ultrafast"),
    ["font"] = Copy("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", "font.ttf"),
};
var options = Microsoft.Extensions.Options.Options.Create(new RenderingOptions { Preset = "ultrafast", Sandbox = "auto" });
var tools = new ToolRunner(options, NullLogger<ToolRunner>.Instance);
var probe = new MediaProbe(options, tools);
var ffmpeg = new FfmpegRunner(options, tools);
await using var pool = new ChromiumPool(options, NullLogger<ChromiumPool>.Instance);
var rasterizer = new ClipRasterizer(pool, options, NullLogger<ClipRasterizer>.Instance);
var (rendered, total) = (0, 0);
foreach (var file in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
{
    total++;
    var name = Path.GetFileName(file);
    var clock = Stopwatch.StartNew();
    try
    {
        // A saved template ({name, template}) is rendered as the Edit it holds.
        var node = JsonNode.Parse(File.ReadAllText(file))!;
        var source = node["template"] is JsonObject template && node["timeline"] is null ? template : node;
        // Merge fields may name media, so they are filled in before the media are swapped for local files.
        if (source["merge"] is not null && EditParser.Parse(source.ToJsonString()).MergedJson is { } merged) source = JsonNode.Parse(merged)!;
        var (json, files) = Localise(source);
        var parsed = EditParser.Parse(json);
        if (parsed.Edit is not { } edit)
        {
            var first = parsed.Errors.First();
            Console.WriteLine($"refused   {name}: {first.Key}: {string.Join(" ", first.Value)}");
            continue;
        }
        var probed = await probe.ProbeAssetsAsync(edit, files, CancellationToken.None);
        var timeline = TimelineResolver.Resolve(edit, MediaInfo.Durations(probed));
        if (!timeline.IsValid)
        {
            var first = timeline.Errors.First();
            Console.WriteLine($"refused   {name}: {first.Key}: {string.Join(" ", first.Value)}");
            continue;
        }
        var drawn = await rasterizer.DrawAsync(edit, timeline, files, work, CancellationToken.None);
        var output = Path.Combine(work, $"out-{total}.{edit.Output.Format}");
        var plan = FfmpegCompiler.Compile(edit, timeline, files, output, options.Value.ToCompileOptions(ClipRasterizer.AddTo(files, probed, drawn)));
        await ffmpeg.RunAsync(plan, null, CancellationToken.None);
        rendered++;
        Console.WriteLine($"rendered  {name} ({drawn.Count} drawn clips, {clock.Elapsed.TotalSeconds:0.0} s)");
    }
    catch (Exception ex) when (ex is RenderFailedException or ArgumentException or System.Text.Json.JsonException)
    {
        Console.WriteLine($"failed    {name}: {ex.Message}");
    }
}
Console.WriteLine($"{rendered} of {total} Edits rendered");
Directory.Delete(work, recursive: true);

// Every URL an asset, soundtrack or font names becomes a local file of its kind; the output renders only its first seconds.
(string Json, Dictionary<string, string> Files) Localise(JsonNode edit)
{
    var files = new Dictionary<string, string>(StringComparer.Ordinal);
    void Swap(JsonNode? holder, string kind)
    {
        if (holder?["src"] is JsonValue src && src.TryGetValue<string>(out var url) && Regex.IsMatch(url, "^https?://"))
        {
            var local = $"https://media.corpus.test/{kind}/{files.Count}";
            files[local] = media[kind];
            holder["src"] = local;
        }
    }
    foreach (var clip in edit["timeline"]?["tracks"]?.AsArray().SelectMany(track => track?["clips"]?.AsArray() ?? []) ?? [])
    {
        var asset = clip?["asset"];
        var type = asset?["type"]?.GetValue<string>();
        Swap(asset, type switch { "video" => "video", "image" => "image", "audio" => "audio", "luma" => "luma", _ => "image" });
    }
    Swap(edit["timeline"]?["soundtrack"], "audio");
    foreach (var font in edit["timeline"]?["fonts"]?.AsArray() ?? []) Swap(font, "font");
    if (edit["output"] is JsonObject output && output["format"]?.GetValue<string>() is "mp4" or "gif")
    {
        output["range"] = new JsonObject { ["start"] = 0, ["length"] = seconds };
    }
    return (edit.ToJsonString(), files);
}

string Make(string name, params string[] arguments)
{
    var path = Path.Combine(work, name);
    using var process = Process.Start("/usr/bin/ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", .. arguments, path])!;
    process.WaitForExit();
    return path;
}

string Copy(string source, string name)
{
    var path = Path.Combine(work, name);
    File.Copy(source, path);
    return path;
}
