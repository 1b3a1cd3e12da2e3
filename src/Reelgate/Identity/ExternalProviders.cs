namespace Reelgate.Identity;

/// <summary>A configured sign-in provider: its authentication scheme, the provider key its identities are stored under, and its label.</summary>
public sealed record ExternalProvider(string Scheme, string DisplayName, string Issuer);

public sealed class ExternalProviders(IReadOnlyList<ExternalProvider> all)
{
    public const string GoogleIssuer = "https://accounts.google.com";

    public IReadOnlyList<ExternalProvider> All { get; } = all;

    public ExternalProvider? Find(string scheme) => All.FirstOrDefault(p => string.Equals(p.Scheme, scheme, StringComparison.OrdinalIgnoreCase));

    /// <summary>The label for a stored provider key; identities from API tokens show their issuer.</summary>
    public string DisplayName(string provider) =>
        All.FirstOrDefault(p => SameIssuer(p.Issuer, provider))?.DisplayName ?? provider;

    public static bool SameIssuer(string a, string b) => string.Equals(a.TrimEnd('/'), b.TrimEnd('/'), StringComparison.Ordinal);
}
