namespace Reelgate.Rendering;

/// <summary>The frame size and rate an Output renders at, before and after scaleTo.</summary>
public sealed record OutputGeometry(int Width, int Height, double Fps, int FinalWidth, int FinalHeight)
{
    public static OutputGeometry For(Output output)
    {
        var (width, height) = output.Size is { } size
            ? (size.Width, size.Height)
            : Preset(output.Resolution ?? "sd", output.AspectRatio);
        var fps = output.Fps ?? (output.Resolution == "preview" ? 15 : 25);
        if (output.ScaleTo is not { } scaleTo)
        {
            return new OutputGeometry(width, height, fps, width, height);
        }
        var factor = (double)ShortSide(scaleTo) / Math.Min(width, height);
        return new OutputGeometry(width, height, fps, Even(width * factor), Even(height * factor));
    }

    public static (int Width, int Height) Preset(string resolution, string aspectRatio)
    {
        var side = ShortSide(resolution);
        return aspectRatio switch
        {
            "9:16" => (side, Even(side * 16.0 / 9)),
            "1:1" => (side, side),
            "4:5" => (side, Even(side * 5.0 / 4)),
            "4:3" => (Even(side * 4.0 / 3), side),
            _ => (Even(side * 16.0 / 9), side),
        };
    }

    private static int ShortSide(string resolution) => resolution switch
    {
        "preview" => 288,
        "mobile" => 360,
        "hd" => 720,
        "1080" => 1080,
        "4k" => 2160,
        _ => 576,
    };

    private static int Even(double value) => Math.Max(2, (int)Math.Round(value / 2) * 2);
}
