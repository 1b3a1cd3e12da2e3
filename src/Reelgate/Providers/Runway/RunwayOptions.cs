namespace Reelgate.Providers.Runway;

/// <summary>Runway's developer API (env RUNWAY_API_KEY).</summary>
public sealed class RunwayOptions : ProviderHttpOptions
{
    public const string Section = "Providers:Runway";

    /// <summary>The API version every request pins in X-Runway-Version.</summary>
    public string Version { get; set; } = "2024-11-06";

    /// <summary>Model for clips from an image (durations 2–10 s).</summary>
    public string ImageModel { get; set; } = "gen4_turbo";

    /// <summary>Model for clips from text only (durations 2–10 s, 16:9 or 9:16).</summary>
    public string TextModel { get; set; } = "gen4.5";

    public RunwayOptions()
    {
        BaseUrl = "https://api.dev.runwayml.com";
        // Runway: "should not expect updates more frequent than once every five seconds".
        PollInterval = TimeSpan.FromSeconds(6);
    }
}
