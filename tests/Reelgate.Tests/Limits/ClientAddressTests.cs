using System.Net;
using Microsoft.AspNetCore.Http;
using Reelgate.Limits;

namespace Reelgate.Tests.Limits;

public sealed class ClientAddressTests
{
    private static string Of(string? address)
    {
        var http = new DefaultHttpContext();
        http.Connection.RemoteIpAddress = address is null ? null : IPAddress.Parse(address);
        return ClientAddress.Of(http);
    }

    [Fact]
    public void Ipv4_IsKeptWhole_AlsoWhenMappedToIpv6() =>
        Assert.Equal(["203.0.113.7", "203.0.113.7"], [Of("203.0.113.7"), Of("::ffff:203.0.113.7")]);

    [Fact]
    public void Ipv6_CountsByIts64BitPrefix()
    {
        Assert.Equal("2001:db8:1:2::/64", Of("2001:db8:1:2:aaaa:bbbb:cccc:dddd"));
        Assert.Equal(Of("2001:db8:1:2::1"), Of("2001:db8:1:2:ffff::9"));
        Assert.NotEqual(Of("2001:db8:1:2::1"), Of("2001:db8:1:3::1"));
    }

    [Fact]
    public void NoAddress_SharesOneKey() => Assert.Equal("unknown", Of(null));
}
