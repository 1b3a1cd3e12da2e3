namespace Reelgate.Rendering;

/// <summary>
/// The rich-text entrances the local renderer draws, as tweens on the clip: fadeIn raises the opacity from 0, and
/// slideIn also moves the text a tenth of the frame into place from the side opposite its direction.
/// </summary>
internal static class RichTextAnimation
{
    private const double DefaultSeconds = 1;
    private const double SlideDistance = 0.1;

    public static Clip Apply(Clip clip)
    {
        if (clip.Asset is not RichTextAsset { Animation: { Preset: "fadeIn" or "slideIn" } animation })
        {
            return clip;
        }
        var seconds = animation.Duration ?? DefaultSeconds;
        var opacity = clip.Opacity.IsTweened ? clip.Opacity : Ease(0, clip.Opacity.Value, seconds);
        if (animation.Preset == "fadeIn")
        {
            return clip with { Opacity = opacity };
        }
        var (dx, dy) = (animation.Direction ?? "left") switch
        {
            "right" => (-SlideDistance, 0),
            "up" => (0, -SlideDistance),
            "down" => (0, SlideDistance),
            _ => (SlideDistance, 0.0),
        };
        var x = clip.Offset.X.IsTweened ? clip.Offset.X : Ease(clip.Offset.X.Value + dx, clip.Offset.X.Value, seconds);
        var y = clip.Offset.Y.IsTweened ? clip.Offset.Y : Ease(clip.Offset.Y.Value + dy, clip.Offset.Y.Value, seconds);
        return clip with { Opacity = opacity, Offset = new ClipOffset(x, y) };
    }

    private static Animated Ease(double from, double to, double seconds) =>
        new(from, [new Tween(from, to, 0, seconds, "bezier", "easeOutCubic")]);
}
