namespace Reelgate.Rendering;

public sealed record Output(
    string Format,
    string? Resolution,
    string AspectRatio,
    OutputSize? Size,
    double? Fps,
    string Quality,
    OutputRange? Range,
    OutputPoster? Poster,
    OutputThumbnail? Thumbnail,
    bool Mute,
    bool Repeat,
    string? ScaleTo)
{
    public bool IsStill => Format is "jpg" or "png" or "bmp";

    public bool IsAudioOnly => Format == "mp3";
}

public sealed record OutputSize(int Width, int Height);

public sealed record OutputRange(double Start, double? Length);

public sealed record OutputPoster(double Capture);

public sealed record OutputThumbnail(double Capture, double Scale);
