using System.Net;
using System.Net.Sockets;

namespace Reelgate.Limits;

/// <summary>
/// The client a per-address limit counts against: the connection's remote address. Forwarded headers are not read,
/// since the app has no trusted-proxy setting and any client can send them. IPv6 clients count by their /64, the
/// smallest block a subscriber is usually given whole.
/// </summary>
public static class ClientAddress
{
    public static string Of(HttpContext http)
    {
        var address = http.Connection.RemoteIpAddress;
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return $"{new IPAddress(bytes)}/64";
    }
}
