using System.Diagnostics;
using System.Net.Http.Json;

namespace Reelgate.Bench.FakeShotstack;

/// <summary>
/// Shotstack's render callback: a POST of the render's final state to the Edit's `callback` URL. An answer other than
/// 2xx, or none, is tried again twice, a second apart.
/// </summary>
internal sealed class Callbacks(IHttpClientFactory clients, ILogger logger)
{
    public const string ClientName = "callbacks";
    private const int Attempts = 3;
    private int _sent;
    private int _failed;

    public int Sent => Volatile.Read(ref _sent);
    public int Failed => Volatile.Read(ref _failed);

    public async Task SendAsync(Render render, string url, string? outputUrl)
    {
        var body = new
        {
            type = "edit", action = "render", id = render.Id, owner = "bench", status = render.HasFailed ? "failed" : "done", url = outputUrl, error = render.HasFailed ? Render.FailedError : null,
            completed = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
        };
        render.CallbackAt = Renders.Microseconds(Stopwatch.GetTimestamp());
        Interlocked.Increment(ref _sent);
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            try
            {
                using var response = await clients.CreateClient(ClientName).PostAsJsonAsync(url, body);
                render.CallbackStatus = (int)response.StatusCode;
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException ex)
            {
                logger.LogWarning("Callback for render {Id} failed: {Reason}", render.Id, ex.Message);
            }
            catch (TaskCanceledException)
            {
                logger.LogWarning("Callback for render {Id} timed out", render.Id);
            }
            if (attempt < Attempts) await Task.Delay(TimeSpan.FromSeconds(1));
        }
        Interlocked.Increment(ref _failed);
    }
}
