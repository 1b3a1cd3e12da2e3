namespace Reelgate.Providers.Shotstack;

/// <summary>Our Shotstack account (env SHOTSTACK_API_KEY, SHOTSTACK_API_URL).</summary>
public sealed class ShotstackProviderOptions : ProviderHttpOptions
{
    public const string Section = "Providers:Shotstack";

    public ShotstackProviderOptions()
    {
        BaseUrl = "https://api.shotstack.io/edit/v1";
        // Shotstack counts polling against request quotas (1 rps on Free, 10 on paid), and its callback usually arrives first.
        PollInterval = TimeSpan.FromSeconds(10);
        MaxRequestsPerSecond = 10;
    }
}
