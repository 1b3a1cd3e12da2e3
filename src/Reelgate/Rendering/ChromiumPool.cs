using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using PuppeteerSharp;

namespace Reelgate.Rendering;

/// <summary>
/// A few long-lived headless Chromium processes, driven over the DevTools protocol on a loopback port of their
/// own choosing. A caller leases one browser for a batch of pages; a browser that hung or crashed is closed and replaced.
/// Chromium gets no usable network: a dead proxy and an empty resolver back up the request interception.
/// </summary>
public sealed class ChromiumPool : IAsyncDisposable
{
    private readonly RenderingOptions _options;
    private readonly ILogger<ChromiumPool> _logger;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentBag<IBrowser> _idle = [];
    private readonly ConcurrentDictionary<int, bool> _launched = new();

    public ChromiumPool(IOptions<RenderingOptions> options, ILogger<ChromiumPool> logger)
    {
        _options = options.Value;
        _logger = logger;
        Size = Math.Max(1, _options.BrowserPoolSize);
        _slots = new SemaphoreSlim(Size);
    }

    public int Size { get; }

    /// <summary>The process ids of every browser this pool has started, for tests and diagnostics.</summary>
    public IReadOnlyCollection<int> LaunchedProcessIds => [.. _launched.Keys];

    /// <summary>Runs work with a browser of its own; the browser goes back to the pool unless the work broke it.</summary>
    public async Task<T> UseAsync<T>(Func<IBrowser, Task<T>> work, CancellationToken ct)
    {
        await _slots.WaitAsync(ct);
        IBrowser? browser = null;
        var healthy = false;
        try
        {
            browser = await TakeAsync();
            var result = await work(browser);
            healthy = browser.IsConnected;
            return result;
        }
        finally
        {
            if (browser is not null && healthy) _idle.Add(browser);
            else if (browser is not null) await CloseAsync(browser);
            _slots.Release();
        }
    }

    private async Task<IBrowser> TakeAsync()
    {
        while (_idle.TryTake(out var idle))
        {
            if (idle.IsConnected) return idle;
            await CloseAsync(idle);
        }
        return await LaunchAsync();
    }

    private async Task<IBrowser> LaunchAsync()
    {
        var profile = Path.Combine(Path.GetTempPath(), "reelgate-chromium-" + Guid.NewGuid().ToString("N"));
        List<string> args =
        [
            "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
            "--disable-extensions", "--disable-background-networking", "--disable-sync", "--disable-component-update",
            "--disable-default-apps", "--mute-audio", "--hide-scrollbars", "--font-render-hinting=none",
            "--proxy-server=127.0.0.1:9", "--host-resolver-rules=\"MAP * ~NOTFOUND\"",
            // A screenshot waits for the next frame the compositor makes; without vsync and its 60 a second cap it
            // does not wait for one, which makes drawing a small box two to three times faster.
            "--disable-gpu-vsync", "--disable-frame-rate-limit",
        ];
        // Launch arguments are joined into one command line, so a value with spaces is quoted. Chromium's own sandbox cannot start as root; elsewhere it stays on.
        if (Environment.UserName == "root") args.Add("--no-sandbox");
        var browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            ExecutablePath = _options.ChromiumPath,
            Headless = true,
            UserDataDir = profile,
            Args = [.. args],
            Timeout = 30_000,
            ProtocolTimeout = 30_000,
        });
        if (browser.Process is { } process) _launched[process.Id] = true;
        _logger.LogInformation("Started headless Chromium {ProcessId} for drawing assets", browser.Process?.Id);
        return browser;
    }

    private async Task CloseAsync(IBrowser browser)
    {
        try
        {
            await browser.CloseAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception ex) when (ex is PuppeteerException or TimeoutException or IOException)
        {
            _logger.LogWarning(ex, "Chromium {ProcessId} did not close cleanly; killing it", browser.Process?.Id);
            browser.Process?.Kill(entireProcessTree: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        while (_idle.TryTake(out var browser)) await CloseAsync(browser);
        _slots.Dispose();
    }
}
