namespace Reelgate.Rendering;

public sealed record Clip(
    Asset Asset,
    ClipTime Start,
    ClipTime Length,
    string? Id,
    string? Alias,
    string Fit,
    Animated? Scale,
    int? Width,
    int? Height,
    string Position,
    ClipOffset Offset,
    Animated Opacity,
    ClipTransition Transition,
    string? Effect,
    string? Filter,
    ClipTransform Transform);

public enum ClipTimeKind
{
    Seconds,
    Auto,
    End,
    Alias,
}

/// <summary>A clip start or length: a number of seconds, "auto", "end" or "alias://name".</summary>
public sealed record ClipTime(ClipTimeKind Kind, double Seconds = 0, string? Alias = null)
{
    public static ClipTime At(double seconds) => new(ClipTimeKind.Seconds, seconds);
}

/// <summary>A number that may instead be animated by tweens (times relative to the clip start).</summary>
public sealed record Animated(double Value, IReadOnlyList<Tween> Tweens)
{
    public bool IsTweened => Tweens.Count > 0;

    public static Animated Of(double value) => new(value, []);
}

/// <summary>An animation step; a missing length runs to the end of the clip.</summary>
public sealed record Tween(double From, double To, double Start, double? Length, string Interpolation, string? Easing);

public sealed record ClipOffset(Animated X, Animated Y)
{
    public static readonly ClipOffset Zero = new(Animated.Of(0), Animated.Of(0));
}

public sealed record ClipTransition(string? In, string? Out)
{
    public static readonly ClipTransition None = new(null, null);
}

/// <summary>Rotation in degrees; skew as shear factors (x moves each row by x times its height from the clip's centre, as CSS skew does).</summary>
public sealed record ClipTransform(Animated? Rotate, bool FlipHorizontal, bool FlipVertical, Animated? SkewX = null, Animated? SkewY = null)
{
    public static readonly ClipTransform None = new(null, false, false);
}
