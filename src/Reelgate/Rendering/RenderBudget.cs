using System.Globalization;

namespace Reelgate.Rendering;

/// <summary>
/// What an Edit would cost the local renderer in clips, open files and memory, refused at submission when it is past
/// the limits. ffmpeg holds frames at the output size for every composited clip and a decoder's frame pool for every
/// media file, so memory grows with clips times pixels, not with the output's length.
/// </summary>
public static class RenderBudget
{
    private const double BaseMegabytes = 64;
    private const double FramesPerClip = 2;
    private const double FramesPerDecoder = 6;

    public static IReadOnlyDictionary<string, string[]> Check(Edit edit, RenderLimits limits)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var clips = edit.Timeline.Tracks.Sum(track => track.Clips.Count);
        if (clips > limits.MaxClips)
        {
            errors["timeline.tracks"] = [Invariant($"contain {clips} clips, more than the limit of {limits.MaxClips} clips per Edit")];
        }
        var inputs = MediaInputs(edit);
        if (inputs > limits.MaxInputs)
        {
            errors.TryAdd("timeline.tracks", [Invariant($"open {inputs} media files, more than the limit of {limits.MaxInputs} per Edit")]);
        }
        var megabytes = EstimatedMegabytes(edit);
        if (errors.Count == 0 && megabytes > limits.MaxEstimatedMemoryMb)
        {
            errors["timeline"] = [Invariant($"needs about {megabytes:0} MB of renderer memory, more than the limit of {limits.MaxEstimatedMemoryMb} MB; use fewer clips or a smaller output")];
        }
        return errors;
    }

    public static double EstimatedMegabytes(Edit edit)
    {
        var geometry = OutputGeometry.For(edit.Output);
        var rgbaFrame = (double)geometry.Width * geometry.Height * 4;
        var yuvFrame = (double)geometry.Width * geometry.Height * 1.5;
        var bytes = 0.0;
        foreach (var clip in edit.Timeline.Tracks.SelectMany(track => track.Clips))
        {
            bytes += clip.Asset switch
            {
                AudioAsset => 0,
                VideoAsset or LumaAsset => FramesPerClip * rgbaFrame + FramesPerDecoder * yuvFrame,
                _ => FramesPerClip * rgbaFrame,
            };
        }
        return BaseMegabytes + bytes / (1024 * 1024);
    }

    private static int MediaInputs(Edit edit) =>
        edit.Timeline.Tracks.SelectMany(track => track.Clips).Count(clip => clip.Asset is VideoAsset or ImageAsset or AudioAsset or LumaAsset or RasterAsset)
        + (edit.Timeline.Soundtrack is null ? 0 : 1);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
