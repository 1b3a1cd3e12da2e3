using System.Net;
using System.Net.Sockets;

namespace Reelgate.Fetch;

/// <summary>The one gate every user-supplied URL passes before Reelgate fetches it or stores it for later calls.</summary>
public sealed class UrlGuard(IAddressPolicy policy)
{
    /// <summary>Checks scheme and credentials, resolves the host and refuses the URL if any address it resolves to is blocked.</summary>
    public async Task<UrlValidation> ValidateAsync(Uri url, CancellationToken cancellationToken = default)
    {
        if (CheckShape(url) is { } problem)
        {
            return UrlValidation.Refused(problem.Message);
        }
        IPAddress[] addresses;
        try
        {
            addresses = await ResolveAsync(url.IdnHost, cancellationToken);
        }
        catch (SocketException)
        {
            return UrlValidation.Refused($"The host of {Display(url)} could not be resolved.");
        }
        var blocked = addresses.FirstOrDefault(address => !policy.IsAllowed(address));
        return blocked is null
            ? UrlValidation.Allowed
            : UrlValidation.Refused($"The host of {Display(url)} resolves to {blocked}, a {Describe(blocked)} address Reelgate does not connect to.");
    }

    /// <summary>Throws <see cref="FetchException"/> unless the URL is an absolute http(s) URL without credentials.</summary>
    public static void EnsureFetchable(Uri url)
    {
        if (CheckShape(url) is { } problem)
        {
            throw problem;
        }
    }

    /// <summary>The URL as it may appear in messages and logs: everything but the user-info part.</summary>
    public static string Display(Uri url) =>
        url.IsAbsoluteUri
            ? url.GetComponents(UriComponents.AbsoluteUri & ~UriComponents.UserInfo, UriFormat.UriEscaped)
            : url.OriginalString;

    internal static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            return [literal];
        }
        var addresses = await Dns.GetHostAddressesAsync(host, cancellationToken);
        return addresses.Length > 0 ? addresses : throw new SocketException((int)SocketError.HostNotFound);
    }

    internal static string Describe(IPAddress address) =>
        AddressClassifier.Classify(address) switch
        {
            AddressClass.Public => "public",
            AddressClass.Unspecified => "unspecified",
            AddressClass.ThisNetwork => "this-network",
            AddressClass.Loopback => "loopback",
            AddressClass.Private => "private-network",
            AddressClass.SharedAddressSpace => "carrier-grade NAT",
            AddressClass.LinkLocal => "link-local",
            AddressClass.Multicast => "multicast",
            AddressClass.Broadcast => "broadcast",
            AddressClass.Benchmarking => "benchmarking",
            AddressClass.Documentation => "documentation",
            _ => "reserved",
        };

    private static FetchException? CheckShape(Uri url)
    {
        if (!url.IsAbsoluteUri)
        {
            return new FetchException(FetchErrorCodes.BadUrl, $"'{url.OriginalString}' is not an absolute URL.");
        }
        if (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
        {
            return new FetchException(FetchErrorCodes.BadScheme, $"{Display(url)} uses '{url.Scheme}'; only http and https URLs can be fetched.");
        }
        if (url.UserInfo.Length > 0)
        {
            return new FetchException(FetchErrorCodes.BadUrl, $"{Display(url)} carries credentials in the URL, which Reelgate does not accept.");
        }
        if (!HasIdnHost(url))
        {
            return new FetchException(FetchErrorCodes.BadUrl, $"The host of {Display(url)} is not a valid host name.");
        }
        return null;
    }

    /// <summary>Uri parses some hosts (Arabic letters or bidi marks among digits) that IDNA then refuses to encode.</summary>
    private static bool HasIdnHost(Uri url)
    {
        try
        {
            return url.IdnHost.Length > 0;
        }
        catch (UriFormatException)
        {
            return false;
        }
    }
}
