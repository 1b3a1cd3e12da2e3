using Reelgate.Providers;

namespace Reelgate.Jobs;

/// <summary>Which renderer a render request asked for, and what this deployment can offer.</summary>
public static class RenderProviders
{
    public const string Local = "local";
    public const string Shotstack = "shotstack";

    /// <summary>Local when the local renderer draws the whole Edit, Shotstack otherwise.</summary>
    public const string Auto = "auto";

    /// <summary>
    /// The provider a request without one gets: <c>Rendering:Provider</c> when set, otherwise auto where Shotstack is
    /// configured and local where it is not. Null and a message when the requested one is not offered here.
    /// </summary>
    public static (string? Provider, string? Refusal) Resolve(string? requested, IServiceProvider services)
    {
        var shotstack = CanForward(services);
        var provider = requested ?? services.GetRequiredService<IConfiguration>()["Rendering:Provider"] ?? (shotstack ? Auto : Local);
        return provider switch
        {
            Local or Auto => (provider, null),
            Shotstack when shotstack => (provider, null),
            _ => (null, $"'{provider}' is not available on this deployment; use 'local'{(shotstack ? ", 'shotstack' or 'auto'" : " or 'auto'")}."),
        };
    }

    public static bool CanForward(IServiceProvider services) =>
        services.GetServices<IProviderAdapter>().Any(a => a.Name == Shotstack && a.IsConfigured);
}
