using System.Runtime.CompilerServices;
using PuppeteerSharp;

namespace Reelgate.Rendering;

/// <summary>
/// A page in a browser context of its own, scripts off, every request it makes intercepted, already at the drawing
/// origin. Each Edit draws in a new one and closes it; what the page may load is the files it is given.
/// </summary>
internal sealed class DrawingPage(IBrowserContext context, IPage page)
{
    public IBrowserContext Context { get; } = context;

    public IPage Page { get; } = page;

    /// <summary>Local paths by URL of what the page may load; nothing until an Edit's files are given.</summary>
    public IReadOnlyDictionary<string, string> Files { get; set; } = new Dictionary<string, string>();
}

/// <summary>
/// Opens drawing pages, and keeps one opened ahead for each browser once it has drawn, so the next Edit drawn with it
/// does not wait for a context, a page and a navigation (about a sixth of a second). A page opened ahead has loaded
/// nothing but the empty origin document, and is given to one Edit only.
/// </summary>
internal sealed class DrawingPages(Func<IRequest, DrawingPage, Task> answer, Func<TimeSpan> limit, ILogger logger)
{
    public const string Origin = "https://page.reelgate.invalid/";

    private readonly ConditionalWeakTable<IBrowser, Task<DrawingPage>> _ahead = new();

    /// <summary>The page opened ahead for this browser if it is ready and sound, else a new one.</summary>
    public async Task<DrawingPage> TakeAsync(IBrowser browser)
    {
        if (_ahead.TryGetValue(browser, out var ahead) && _ahead.Remove(browser))
        {
            try
            {
                var page = await ahead.WaitAsync(limit());
                if (!page.Page.IsClosed) return page;
            }
            catch (Exception ex) when (ex is PuppeteerException or TimeoutException)
            {
                logger.LogDebug(ex, "A drawing page opened ahead could not be used; opening another");
            }
        }
        return await OpenAsync(browser);
    }

    /// <summary>Closes an Edit's page and opens the next one for the browser in the background.</summary>
    public async Task CloseAsync(IBrowser browser, DrawingPage page)
    {
        if (!browser.IsConnected) return;
        await page.Context.CloseAsync().WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
        var next = OpenAsync(browser);
        _ = next.ContinueWith(task => logger.LogDebug(task.Exception, "A drawing page could not be opened ahead"),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        _ahead.AddOrUpdate(browser, next);
    }

    private async Task<DrawingPage> OpenAsync(IBrowser browser)
    {
        var context = await browser.CreateBrowserContextAsync();
        try
        {
            var page = new DrawingPage(context, await context.NewPageAsync());
            await page.Page.SetJavaScriptEnabledAsync(false);
            await page.Page.SetRequestInterceptionAsync(true);
            page.Page.Request += (_, e) => _ = answer(e.Request, page);
            var timeout = limit();
            await page.Page.GoToAsync(Origin, new NavigationOptions { Timeout = (int)timeout.TotalMilliseconds, WaitUntil = [WaitUntilNavigation.Load] })
                .WaitAsync(timeout);
            return page;
        }
        catch
        {
            if (browser.IsConnected) await context.CloseAsync().WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
            throw;
        }
    }
}
