namespace Reelgate.Rendering;

/// <summary>The enumerated values the Edit schema allows.</summary>
public static class EditVocabulary
{
    public static readonly string[] AssetTypes =
    [
        "video", "image", "text", "rich-text", "audio", "luma", "caption", "rich-caption", "html", "html5",
        "title", "shape", "svg", "text-to-image", "image-to-video", "text-to-speech",
    ];

    public static readonly string[] LocallyRenderedAssetTypes = ["video", "image", "text", "audio", "luma", "title", "html", "rich-text", "svg", "shape", "caption"];

    public static readonly string[] Fits = ["cover", "contain", "crop", "none"];

    public static readonly string[] Positions =
        ["top", "topRight", "right", "bottomRight", "bottom", "bottomLeft", "left", "topLeft", "center"];

    public static readonly string[] Effects = WithSpeeds("zoomIn", "zoomOut", "slideLeft", "slideRight", "slideUp", "slideDown");

    public static readonly string[] Filters =
        ["none", "blur", "boost", "contrast", "darken", "greyscale", "lighten", "muted", "negative"];

    public static readonly string[] Transitions =
    [
        "none", "zoom",
        .. WithSpeeds(
            "fade", "reveal", "wipeLeft", "wipeRight", "slideLeft", "slideRight", "slideUp", "slideDown",
            "carouselLeft", "carouselRight", "carouselUp", "carouselDown",
            "shuffleTopRight", "shuffleRightTop", "shuffleRightBottom", "shuffleBottomRight",
            "shuffleBottomLeft", "shuffleLeftBottom", "shuffleLeftTop", "shuffleTopLeft"),
    ];

    public static readonly string[] Interpolations = ["linear", "bezier", "constant"];

    public static readonly string[] Easings =
    [
        "ease", "easeIn", "easeOut", "easeInOut",
        .. new[] { "Quad", "Cubic", "Quart", "Quint", "Sine", "Expo", "Circ", "Back" }
            .SelectMany(curve => new[] { "easeIn" + curve, "easeOut" + curve, "easeInOut" + curve }),
    ];

    public static readonly string[] AudioEffects = ["none", "fadeIn", "fadeOut", "fadeInFadeOut"];

    public static readonly string[] SoundtrackEffects = ["fadeIn", "fadeOut", "fadeInFadeOut"];

    public static readonly string[] TitleStyles =
        ["minimal", "blockbuster", "vogue", "sketchy", "skinny", "chunk", "chunkLight", "marker", "future", "subtitle"];

    public static readonly string[] TitleSizes = ["xx-small", "x-small", "small", "medium", "large", "x-large", "xx-large"];

    public static readonly string[] HorizontalAlignments = ["left", "center", "right"];

    public static readonly string[] VerticalAlignments = ["top", "center", "bottom"];

    public static readonly string[] Formats = ["mp4", "webm", "mov", "gif", "mp3", "jpg", "png", "bmp"];

    public static readonly string[] Resolutions = ["preview", "mobile", "sd", "hd", "1080", "4k"];

    public static readonly string[] AspectRatios = ["16:9", "9:16", "1:1", "4:5", "4:3"];

    public static readonly double[] FrameRates = [12, 15, 23.976, 24, 25, 29.97, 30, 48, 50, 59.94, 60];

    public static readonly string[] Qualities = ["verylow", "low", "medium", "high", "veryhigh"];

    public static readonly string[] Disks = ["local", "mount"];

    public static readonly string[] Instances = ["s1", "s2", "a1"];

    public static readonly string[] DestinationProviders =
    [
        "shotstack", "s3", "mux", "google-cloud-storage", "google-drive", "vimeo", "tiktok",
        "akamai-netstorage", "azure-blob-storage",
    ];

    private static string[] WithSpeeds(params string[] names) =>
        [.. names.SelectMany(name => new[] { name, name + "Slow", name + "Fast" })];
}
