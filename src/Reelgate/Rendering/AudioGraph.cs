using static Reelgate.Rendering.FilterSyntax;

namespace Reelgate.Rendering;

/// <summary>
/// Mixes the sound of video clips, audio clips and the soundtrack with amix (normalize=0, so levels are kept).
/// Clip fades last 1 s and soundtrack fades 2 s, at most half the sound's length.
/// </summary>
internal static class AudioGraph
{
    private const double ClipFadeSeconds = 1;
    private const double SoundtrackFadeSeconds = 2;
    private const string Format = "aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo";

    public static string? Build(FilterGraph graph, CompileContext context)
    {
        var sources = new List<string>();
        foreach (var resolved in context.Timeline.Clips.Where(context.Overlaps))
        {
            switch (resolved.Clip.Asset)
            {
                // A paused clip (speed 0) is silent.
                case VideoAsset video when video.Speed > 0 && HasAudio(context, video.Src) && Audible(video.Volume):
                    var videoInput = graph.AddMedia(context.PathOf(video.Src), video.Trim, resolved.Length * video.Speed, resolved);
                    sources.Add(Sound(graph, $"{videoInput}:a", video.Speed, video.Volume, video.VolumeEffect, resolved.Start, resolved.Length, ClipFadeSeconds));
                    break;
                case AudioAsset audio when audio.Speed > 0 && Audible(audio.Volume):
                    var audioInput = graph.AddMedia(context.PathOf(audio.Src), audio.Trim, resolved.Length * audio.Speed);
                    sources.Add(Sound(graph, $"{audioInput}:a", audio.Speed, audio.Volume, audio.Effect, resolved.Start, resolved.Length, ClipFadeSeconds));
                    break;
            }
        }
        if (context.Edit.Timeline.Soundtrack is { } soundtrack && soundtrack.Volume > 0)
        {
            var seconds = context.Timeline.SoundtrackSeconds ?? context.Timeline.TimelineSeconds;
            var input = graph.AddMedia(context.PathOf(soundtrack.Src), 0, seconds);
            sources.Add(Sound(graph, $"{input}:a", 1, Animated.Of(soundtrack.Volume), soundtrack.Effect, 0, seconds, SoundtrackFadeSeconds));
        }
        if (sources.Count == 0)
        {
            return null;
        }
        var mixed = sources.Count == 1 ? sources[0] : graph.Chain(sources, [$"amix=inputs={sources.Count}:normalize=0:duration=longest"]);
        return graph.Chain([mixed],
            [$"atrim=start={Num(context.Timeline.RangeStart)}:duration={Num(context.Timeline.TotalSeconds)}", "asetpts=PTS-STARTPTS"]);
    }

    public static string Silence(FilterGraph graph, double seconds) =>
        graph.Chain([], [$"anullsrc=r=48000:cl=stereo", $"atrim=duration={Num(seconds)}"]);

    private static string Sound(FilterGraph graph, string input, double speed, Animated volume, string? effect, double start, double length, double fade)
    {
        var filters = new List<string> { "asetpts=PTS-STARTPTS", Format };
        filters.AddRange(Tempo(speed));
        filters.Add($"atrim=duration={Num(length)}");
        filters.Add(volume.IsTweened
            ? $"volume={Value(TweenExpressions.Of(volume, "t", length))}:eval=frame"
            : $"volume={Num(volume.Value)}");
        var d = Math.Min(fade, length / 2);
        if (effect is "fadeIn" or "fadeInFadeOut")
        {
            filters.Add($"afade=t=in:st=0:d={Num(d)}");
        }
        if (effect is "fadeOut" or "fadeInFadeOut")
        {
            filters.Add($"afade=t=out:st={Num(length - d)}:d={Num(d)}");
        }
        filters.Add($"adelay=delays={Num(Math.Round(start * 1000))}:all=1");
        return graph.Chain([input], filters);
    }

    /// <summary>atempo accepts 0.5 to 2 per instance, so larger changes are chained.</summary>
    private static IEnumerable<string> Tempo(double speed)
    {
        while (speed > 2)
        {
            yield return "atempo=2";
            speed /= 2;
        }
        while (speed < 0.5)
        {
            yield return "atempo=0.5";
            speed /= 0.5;
        }
        if (Math.Abs(speed - 1) > 0.0001)
        {
            yield return $"atempo={Num(speed)}";
        }
    }

    private static bool Audible(Animated volume) => volume.IsTweened || volume.Value > 0;

    /// <summary>Without probe data a video is taken to have sound; ffmpeg then names a missing stream clearly.</summary>
    private static bool HasAudio(CompileContext context, string src) => context.MediaOf(src) is not { HasAudio: false };
}
