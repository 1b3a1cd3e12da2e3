namespace Reelgate.Fetch;

public sealed class FetchOptions
{
    public const string Section = "Fetch";

    /// <summary>Lets fetches reach loopback and private ranges; for tests and single-machine setups only.</summary>
    public bool AllowPrivateNetworks { get; set; }

    public long MaxBytes { get; set; } = 500L * 1024 * 1024;

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public int MaxRedirects { get; set; } = 5;

    public string CacheDirectory { get; set; } = ".data/cache/assets";

    public string UserAgent { get; set; } = "Reelgate/1.0";
}
