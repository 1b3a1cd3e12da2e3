namespace Reelgate.Rendering;

/// <summary>What a clip shows or plays; the subtype follows the JSON "type".</summary>
public abstract record Asset(string Type);

public sealed record VideoAsset(
    string Src,
    double Trim,
    Animated Volume,
    string? VolumeEffect,
    double Speed,
    AssetCrop? Crop,
    ChromaKey? ChromaKey) : Asset("video");

public sealed record ImageAsset(string Src, AssetCrop? Crop) : Asset("image");

public sealed record AudioAsset(string Src, double Trim, Animated Volume, double Speed, string? Effect) : Asset("audio");

/// <summary>A greyscale matte (black transparent, white solid) for the other clip it overlaps on its track.</summary>
public sealed record LumaAsset(string Src, double Trim) : Asset("luma");

public sealed record TitleAsset(
    string Text,
    string Style,
    string Color,
    string Size,
    string? Background,
    string Position,
    ClipOffset Offset) : Asset("title");

public sealed record TextAsset(
    string Text,
    int? Width,
    int? Height,
    TextFont Font,
    TextBackground? Background,
    string HorizontalAlignment,
    string VerticalAlignment,
    TextStroke? Stroke,
    string? Ellipsis) : Asset("text");

/// <summary>An asset only Shotstack draws (html, caption, generated media…); accepted in Edits forwarded there, checked there.</summary>
public sealed record ForwardedAsset(string ForwardedType) : Asset(ForwardedType);

public sealed record AssetCrop(double Top, double Bottom, double Left, double Right);

public sealed record ChromaKey(string Color, double Threshold, double Halo);

public sealed record TextFont(string Family, string Color, double Opacity, int Size, int Weight, double LineHeight);

public sealed record TextBackground(string Color, double Opacity, int Padding);

public sealed record TextStroke(double Width, string Color);

/// <summary>
/// Subtitles from an SRT or WebVTT file, burned in along the bottom of the frame. Margins are fractions of the frame:
/// left and right narrow the lines, top caps how high the block may reach.
/// </summary>
public sealed record CaptionAsset(
    string Src, TextFont Font, TextStroke? Stroke, TextBackground? Background, CaptionMargin Margin, double Trim, double Speed) : Asset("caption");

public sealed record CaptionMargin(double Top, double Left, double Right);
