using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Options;
using PuppeteerSharp;

namespace Reelgate.Rendering;

/// <summary>A clip's drawing: the PNG Chromium made and its size; an animated one is an APNG at the output's frame rate.</summary>
public sealed record RasterImage(string Path, int Width, int Height, bool Animated = false);

/// <summary>
/// Draws every html, rich-text, svg and shape clip of an Edit once, with one leased browser, into PNGs beside the
/// job's other files. Pages run without scripts, and each request they make is answered from the Edit's own
/// fetched files or refused, so a page reaches nothing else. Identical pages are drawn once.
/// </summary>
public sealed class ClipRasterizer(ChromiumPool pool, IOptions<RenderingOptions> options, ILogger<ClipRasterizer> logger)
{
    private const string Origin = "https://page.reelgate.invalid/";

    /// <summary>The key a drawn clip's PNG is filed under among the Edit's files.</summary>
    public static string KeyOf(ResolvedClip clip) => "raster:" + clip.Path;

    /// <summary>Files the drawings under their keys, and returns the media sizes with theirs added, for the compiler.</summary>
    public static IReadOnlyDictionary<string, MediaInfo> AddTo(
        Dictionary<string, string> files, IReadOnlyDictionary<string, MediaInfo> media, IReadOnlyDictionary<string, RasterImage> drawn)
    {
        var sizes = new Dictionary<string, MediaInfo>(media, StringComparer.Ordinal);
        foreach (var (key, image) in drawn)
        {
            files[key] = image.Path;
            sizes[key] = new MediaInfo(0, image.Width, image.Height, 0, HasVideo: true, HasAudio: false, image.Animated ? "apng" : "png_pipe");
        }
        return sizes;
    }

    /// <param name="files">Local paths of the Edit's fetched assets and fonts, keyed by URL: all a page may load.</param>
    /// <exception cref="RenderFailedException">A clip could not be drawn in time (render-draw-failed, naming the clip).</exception>
    public async Task<IReadOnlyDictionary<string, RasterImage>> DrawAsync(
        Edit edit, ResolvedTimeline timeline, IReadOnlyDictionary<string, string> files, string workDir, CancellationToken ct)
    {
        var clips = timeline.Clips.Where(clip => clip.Clip.Asset is RasterAsset).ToList();
        if (clips.Count == 0) return new Dictionary<string, RasterImage>();
        var canvas = OutputGeometry.For(edit.Output);
        var fontFaces = FontFaces(edit, files);
        return await pool.UseAsync(browser => DrawAllAsync(browser, clips, canvas, fontFaces, files, workDir, ct), ct);
    }

    private async Task<IReadOnlyDictionary<string, RasterImage>> DrawAllAsync(IBrowser browser, List<ResolvedClip> clips,
        OutputGeometry canvas, string fontFaces, IReadOnlyDictionary<string, string> files, string workDir, CancellationToken ct)
    {
        var drawn = new Dictionary<string, RasterImage>(StringComparer.Ordinal);
        var byPage = new Dictionary<RasterPage, RasterImage>();
        var context = await browser.CreateBrowserContextAsync();
        try
        {
            var page = await context.NewPageAsync();
            await page.SetJavaScriptEnabledAsync(false);
            await page.SetRequestInterceptionAsync(true);
            page.Request += (_, e) => _ = AnswerAsync(e.Request, files);
            var opened = false;
            foreach (var clip in clips)
            {
                var raster = RasterPages.For((RasterAsset)clip.Clip.Asset, clip.Clip, clip.Length, canvas, fontFaces);
                if (!byPage.TryGetValue(raster, out var image))
                {
                    var path = Path.Combine(workDir, $"raster-{byPage.Count}.png");
                    if (raster.Frames is { } frames)
                    {
                        var drawings = new List<(byte[] Png, int Count)>();
                        foreach (var frame in frames)
                        {
                            drawings.Add((await DrawOneAsync(page, !opened, raster with { Html = frame.Html }, clip, ct), frame.Count));
                            opened = true;
                        }
                        await using var file = File.Create(path);
                        AnimatedPng.Write(file, drawings, canvas.Fps);
                    }
                    else
                    {
                        await File.WriteAllBytesAsync(path, await DrawOneAsync(page, !opened, raster, clip, ct), ct);
                        opened = true;
                    }
                    image = byPage[raster] = new RasterImage(path, raster.Width, raster.Height, raster.Frames is not null);
                }
                drawn[KeyOf(clip)] = image;
            }
        }
        finally
        {
            if (browser.IsConnected) await context.CloseAsync().WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
        }
        return drawn;
    }

    /// <summary>
    /// Draws one page into a PNG. The first opens the page's own origin; later ones replace its document in place, which spares a
    /// navigation (and its intercepted request) per clip. The document keeps the origin and its requests stay intercepted.
    /// </summary>
    private async Task<byte[]> DrawOneAsync(IPage page, bool open, RasterPage raster, ResolvedClip clip, CancellationToken ct)
    {
        var limit = TimeSpan.FromSeconds(options.Value.DrawTimeoutSeconds);
        var milliseconds = (int)limit.TotalMilliseconds;
        try
        {
            await page.SetViewportAsync(new ViewPortOptions { Width = raster.Width, Height = raster.Height, DeviceScaleFactor = 1 })
                .WaitAsync(limit, ct);
            if (open)
            {
                await page.GoToAsync(Origin, new NavigationOptions { Timeout = milliseconds, WaitUntil = [WaitUntilNavigation.Load] }).WaitAsync(limit, ct);
            }
            await page.SetContentAsync(raster.Html, new SetContentOptions { Timeout = milliseconds, WaitUntil = [WaitUntilNavigation.Load] })
                .WaitAsync(limit, ct);
            // The viewport is the box, so nothing beyond it is drawn; the PNG is compressed for speed, losslessly.
            return await page.ScreenshotDataAsync(
                    new ScreenshotOptions { Type = ScreenshotType.Png, OmitBackground = true, OptimizeForSpeed = true, CaptureBeyondViewport = false })
                .WaitAsync(limit, ct);
        }
        catch (Exception ex) when (ex is TimeoutException or PuppeteerException)
        {
            throw new RenderFailedException(RenderFailedException.DrawFailed, ex is TimeoutException or NavigationException
                ? string.Create(CultureInfo.InvariantCulture, $"{clip.Path}: the {clip.Clip.Asset.Type} asset took longer than {limit.TotalSeconds:0} s to draw.")
                : $"{clip.Path}: the {clip.Clip.Asset.Type} asset could not be drawn: {ex.Message}");
        }
    }

    private async Task AnswerAsync(IRequest request, IReadOnlyDictionary<string, string> files)
    {
        try
        {
            if (request.Url == Origin)
            {
                await request.RespondAsync(new ResponseData { Status = HttpStatusCode.OK, ContentType = "text/html; charset=utf-8", Body = "<!DOCTYPE html>" });
            }
            else if (files.TryGetValue(request.Url, out var file) && request.Method == HttpMethod.Get)
            {
                await request.RespondAsync(new ResponseData
                {
                    Status = HttpStatusCode.OK,
                    ContentType = "application/octet-stream",
                    BodyData = await File.ReadAllBytesAsync(file),
                    Headers = new Dictionary<string, object> { ["Access-Control-Allow-Origin"] = "*" },
                });
            }
            else
            {
                await request.AbortAsync(RequestAbortErrorCode.BlockedByClient);
            }
        }
        catch (Exception ex) when (ex is PuppeteerException or IOException)
        {
            logger.LogWarning(ex, "A page request could not be answered");
        }
    }

    /// <summary>@font-face rules for timeline.fonts, by the family in each font's name table and by its file name, preloaded so the load event waits for them.</summary>
    private static string FontFaces(Edit edit, IReadOnlyDictionary<string, string> files)
    {
        var css = new StringBuilder();
        foreach (var font in edit.Timeline.Fonts)
        {
            if (!files.TryGetValue(font.Src, out var path)) continue;
            var names = FontNameReader.Read(path);
            var style = names?.Style ?? "Regular";
            var italic = style.Contains("Italic", StringComparison.OrdinalIgnoreCase) ? "italic" : "normal";
            var family = names?.Family;
            var src = font.Src.Replace("\"", "%22", StringComparison.Ordinal).Replace("\\", "%5C", StringComparison.Ordinal);
            if (!string.IsNullOrWhiteSpace(family))
            {
                css.Append(CultureInfo.InvariantCulture,
                    $"@font-face{{font-family:{CssSyntax.Family(family)};src:url(\"{src}\");font-weight:{FontCatalog.WeightOf(style)};font-style:{italic};font-display:block}}");
            }
            // The names only this file answers to ("Montserrat ExtraBold", the file name) match at any weight.
            var ownNames = new[] { family is null ? null : $"{family} {style}", Path.GetFileNameWithoutExtension(new Uri(font.Src).AbsolutePath) }
                .Where(name => !string.IsNullOrWhiteSpace(name) && !string.Equals(name, family, StringComparison.OrdinalIgnoreCase))
                .Distinct(StringComparer.OrdinalIgnoreCase);
            foreach (var name in ownNames)
            {
                css.Append(CultureInfo.InvariantCulture,
                    $"@font-face{{font-family:{CssSyntax.Family(name!)};src:url(\"{src}\");font-weight:1 1000;font-style:{italic};font-display:block}}");
            }
        }
        return css.ToString();
    }
}
