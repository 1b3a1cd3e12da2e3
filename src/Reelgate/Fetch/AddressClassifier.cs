using System.Net;
using System.Net.Sockets;

namespace Reelgate.Fetch;

/// <summary>Sorts an IP address into the special-purpose ranges of RFC 6890 and its successors.</summary>
public static class AddressClassifier
{
    private static readonly (IPNetwork Network, AddressClass Class)[] V4Ranges =
    [
        (IPNetwork.Parse("0.0.0.0/8"), AddressClass.ThisNetwork),
        (IPNetwork.Parse("10.0.0.0/8"), AddressClass.Private),
        (IPNetwork.Parse("100.64.0.0/10"), AddressClass.SharedAddressSpace),
        (IPNetwork.Parse("127.0.0.0/8"), AddressClass.Loopback),
        (IPNetwork.Parse("169.254.0.0/16"), AddressClass.LinkLocal),
        (IPNetwork.Parse("172.16.0.0/12"), AddressClass.Private),
        (IPNetwork.Parse("192.0.0.0/24"), AddressClass.Reserved),
        (IPNetwork.Parse("192.0.2.0/24"), AddressClass.Documentation),
        (IPNetwork.Parse("192.88.99.0/24"), AddressClass.Reserved),
        (IPNetwork.Parse("192.168.0.0/16"), AddressClass.Private),
        (IPNetwork.Parse("198.18.0.0/15"), AddressClass.Benchmarking),
        (IPNetwork.Parse("198.51.100.0/24"), AddressClass.Documentation),
        (IPNetwork.Parse("203.0.113.0/24"), AddressClass.Documentation),
        (IPNetwork.Parse("224.0.0.0/4"), AddressClass.Multicast),
        (IPNetwork.Parse("240.0.0.0/4"), AddressClass.Reserved),
    ];

    private static readonly (IPNetwork Network, AddressClass Class)[] V6Ranges =
    [
        (IPNetwork.Parse("64:ff9b:1::/48"), AddressClass.Private),
        (IPNetwork.Parse("100::/64"), AddressClass.Reserved),
        (IPNetwork.Parse("2001::/23"), AddressClass.Reserved),
        (IPNetwork.Parse("2001:db8::/32"), AddressClass.Documentation),
        (IPNetwork.Parse("3fff::/20"), AddressClass.Documentation),
        (IPNetwork.Parse("fc00::/7"), AddressClass.Private),
        (IPNetwork.Parse("fe80::/10"), AddressClass.LinkLocal),
        (IPNetwork.Parse("fec0::/10"), AddressClass.Private),
        (IPNetwork.Parse("ff00::/8"), AddressClass.Multicast),
    ];

    private static readonly IPNetwork GlobalUnicast = IPNetwork.Parse("2000::/3");
    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");
    private static readonly IPNetwork V4Compatible = IPNetwork.Parse("::/96");

    public static AddressClass Classify(IPAddress address) =>
        address.AddressFamily switch
        {
            AddressFamily.InterNetwork => ClassifyV4(address),
            AddressFamily.InterNetworkV6 => ClassifyV6(address),
            _ => AddressClass.Reserved,
        };

    public static bool IsPublic(IPAddress address) => Classify(address) == AddressClass.Public;

    private static AddressClass ClassifyV4(IPAddress address)
    {
        if (address.Equals(IPAddress.Any))
        {
            return AddressClass.Unspecified;
        }
        if (address.Equals(IPAddress.Broadcast))
        {
            return AddressClass.Broadcast;
        }
        foreach (var (network, kind) in V4Ranges)
        {
            if (network.Contains(address))
            {
                return kind;
            }
        }
        return AddressClass.Public;
    }

    private static AddressClass ClassifyV6(IPAddress address)
    {
        if (address.Equals(IPAddress.IPv6Any))
        {
            return AddressClass.Unspecified;
        }
        if (address.Equals(IPAddress.IPv6Loopback))
        {
            return AddressClass.Loopback;
        }
        var bytes = address.GetAddressBytes();
        // Addresses that carry an IPv4 address are judged by that address, since that is where packets end up.
        if (address.IsIPv4MappedToIPv6 || Nat64.Contains(address) || V4Compatible.Contains(address))
        {
            return ClassifyV4(new IPAddress(bytes.AsSpan(12, 4)));
        }
        if (SixToFour.Contains(address))
        {
            return ClassifyV4(new IPAddress(bytes.AsSpan(2, 4)));
        }
        foreach (var (network, kind) in V6Ranges)
        {
            if (network.Contains(address))
            {
                return kind;
            }
        }
        return GlobalUnicast.Contains(address) ? AddressClass.Public : AddressClass.Reserved;
    }
}
