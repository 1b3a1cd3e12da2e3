using System.Net;
using Reelgate.Fetch;

namespace Reelgate.Tests.Fetch;

public sealed class AddressClassifierTests
{
    [Theory]
    [InlineData("93.184.215.14", AddressClass.Public)]
    [InlineData("8.8.8.8", AddressClass.Public)]
    [InlineData("172.32.0.1", AddressClass.Public)]
    [InlineData("100.128.0.1", AddressClass.Public)]
    [InlineData("198.20.0.1", AddressClass.Public)]
    [InlineData("223.255.255.255", AddressClass.Public)]
    [InlineData("0.0.0.0", AddressClass.Unspecified)]
    [InlineData("0.1.2.3", AddressClass.ThisNetwork)]
    [InlineData("127.0.0.1", AddressClass.Loopback)]
    [InlineData("127.255.255.254", AddressClass.Loopback)]
    [InlineData("10.0.0.1", AddressClass.Private)]
    [InlineData("172.16.0.1", AddressClass.Private)]
    [InlineData("172.31.255.255", AddressClass.Private)]
    [InlineData("192.168.1.1", AddressClass.Private)]
    [InlineData("100.64.0.1", AddressClass.SharedAddressSpace)]
    [InlineData("100.127.255.255", AddressClass.SharedAddressSpace)]
    [InlineData("169.254.169.254", AddressClass.LinkLocal)]
    [InlineData("169.254.0.1", AddressClass.LinkLocal)]
    [InlineData("224.0.0.1", AddressClass.Multicast)]
    [InlineData("239.255.255.250", AddressClass.Multicast)]
    [InlineData("255.255.255.255", AddressClass.Broadcast)]
    [InlineData("240.0.0.1", AddressClass.Reserved)]
    [InlineData("192.0.0.8", AddressClass.Reserved)]
    [InlineData("198.18.0.1", AddressClass.Benchmarking)]
    [InlineData("198.19.255.255", AddressClass.Benchmarking)]
    [InlineData("192.0.2.1", AddressClass.Documentation)]
    [InlineData("198.51.100.7", AddressClass.Documentation)]
    [InlineData("203.0.113.9", AddressClass.Documentation)]
    public void Classify_IPv4_ReturnsRange(string address, AddressClass expected) =>
        Assert.Equal(expected, AddressClassifier.Classify(IPAddress.Parse(address)));

    [Theory]
    [InlineData("2606:4700:4700::1111", AddressClass.Public)]
    [InlineData("2a00:1450:4001:80b::200e", AddressClass.Public)]
    [InlineData("::", AddressClass.Unspecified)]
    [InlineData("::1", AddressClass.Loopback)]
    [InlineData("fc00::1", AddressClass.Private)]
    [InlineData("fd12:3456:789a::1", AddressClass.Private)]
    [InlineData("fec0::1", AddressClass.Private)]
    [InlineData("fe80::1", AddressClass.LinkLocal)]
    [InlineData("febf:ffff::1", AddressClass.LinkLocal)]
    [InlineData("ff02::1", AddressClass.Multicast)]
    [InlineData("2001:db8::1", AddressClass.Documentation)]
    [InlineData("3fff::1", AddressClass.Documentation)]
    [InlineData("2001::1", AddressClass.Reserved)]
    [InlineData("100::1", AddressClass.Reserved)]
    [InlineData("4000::1", AddressClass.Reserved)]
    [InlineData("64:ff9b:1::a00:1", AddressClass.Private)]
    public void Classify_IPv6_ReturnsRange(string address, AddressClass expected) =>
        Assert.Equal(expected, AddressClassifier.Classify(IPAddress.Parse(address)));

    [Theory]
    [InlineData("::ffff:127.0.0.1", AddressClass.Loopback)]
    [InlineData("::ffff:10.1.2.3", AddressClass.Private)]
    [InlineData("::ffff:169.254.169.254", AddressClass.LinkLocal)]
    [InlineData("::ffff:a9fe:a9fe", AddressClass.LinkLocal)]
    [InlineData("::ffff:0.0.0.0", AddressClass.Unspecified)]
    [InlineData("::ffff:8.8.8.8", AddressClass.Public)]
    [InlineData("::127.0.0.1", AddressClass.Loopback)]
    [InlineData("::192.168.0.1", AddressClass.Private)]
    [InlineData("64:ff9b::192.168.0.1", AddressClass.Private)]
    [InlineData("64:ff9b::7f00:1", AddressClass.Loopback)]
    [InlineData("64:ff9b::8.8.8.8", AddressClass.Public)]
    [InlineData("2002:a9fe:a9fe::1", AddressClass.LinkLocal)]
    [InlineData("2002:0808:0808::1", AddressClass.Public)]
    public void Classify_AddressCarryingIPv4_IsJudgedByTheEmbeddedAddress(string address, AddressClass expected) =>
        Assert.Equal(expected, AddressClassifier.Classify(IPAddress.Parse(address)));

    [Theory]
    [InlineData("127.0.0.1", false, false)]
    [InlineData("169.254.169.254", false, false)]
    [InlineData("::ffff:192.168.1.1", false, false)]
    [InlineData("8.8.8.8", false, true)]
    [InlineData("127.0.0.1", true, true)]
    [InlineData("10.0.0.1", true, true)]
    public void NetworkAddressPolicy_AllowsPrivateRangesOnlyWhenConfigured(string address, bool allowPrivate, bool expected)
    {
        var policy = new NetworkAddressPolicy(Microsoft.Extensions.Options.Options.Create(new FetchOptions { AllowPrivateNetworks = allowPrivate }));

        Assert.Equal(expected, policy.IsAllowed(IPAddress.Parse(address)));
    }
}
