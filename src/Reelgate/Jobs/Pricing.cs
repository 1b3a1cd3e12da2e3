namespace Reelgate.Jobs;

/// <summary>
/// Render price: 1 credit per minute of output, metered per second, rounded up to 0.01, at least 0.10; a local render
/// costs at least 0.01 per clip, since ffmpeg's work grows with the clips composited, not only with the output's length.
/// Generation price: 1 credit per started 5 seconds of clip (5 s = 1, 10 s = 2, 15 s = 3).
/// </summary>
public static class Pricing
{
    public const decimal Minimum = 0.10m;

    public const decimal GenerationPerFiveSeconds = 1m;

    public const decimal PerClipFloor = 0.01m;

    /// <param name="clips">Clips the local renderer composites; 0 for a render done upstream.</param>
    public static decimal Render(double outputSeconds, bool still, int clips = 0)
    {
        var floor = Math.Max(Minimum, PerClipFloor * clips);
        if (still || outputSeconds <= 0) return floor;
        var seconds = (decimal)Math.Ceiling(Math.Round(outputSeconds, 3));
        var credits = Math.Ceiling(seconds / 60m * 100m) / 100m;
        return Math.Max(floor, credits);
    }

    public static decimal Generation(int durationSeconds) =>
        GenerationPerFiveSeconds * Math.Max(1, (int)Math.Ceiling(durationSeconds / 5.0));
}
