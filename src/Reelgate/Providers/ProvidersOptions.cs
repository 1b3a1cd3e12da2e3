namespace Reelgate.Providers;

/// <summary>Settings every upstream shares.</summary>
public sealed class ProvidersOptions
{
    public const string Section = "Providers";

    /// <summary>The address upstreams call back on; defaults to App:PublicBaseUrl (env PUBLIC_BASE_URL), then Storage:PublicBaseUrl.</summary>
    public string PublicBaseUrl { get; set; } = "";

    /// <summary>Downloads of an upstream's output before the job fails; each retry first asks the upstream for a fresh URL.</summary>
    public int OutputAttempts { get; set; } = 3;

    /// <summary>How long an upstream's output link is offered after our copy (Shotstack keeps outputs 24 h).</summary>
    public TimeSpan OutputLinkValidity { get; set; } = TimeSpan.FromHours(24);

    public TimeSpan OutputRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a render may take upstream before it is canceled there and failed here (generations: Generation:TimeoutSeconds).</summary>
    public int RenderTimeoutSeconds { get; set; } = 1200;

    /// <summary>
    /// How long a job whose submit was cut off (the process died, or the answer was lost) waits for the upstream's
    /// callback to name the job it created. After that it fails and its credits are released: it is never submitted twice.
    /// </summary>
    public TimeSpan UnconfirmedSubmitTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Largest output accepted from an upstream.</summary>
    public long MaxOutputBytes { get; set; } = 2L * 1024 * 1024 * 1024;
}
