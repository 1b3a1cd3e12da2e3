using Microsoft.Extensions.Options;
using Reelgate.Fetch;

namespace Reelgate.Tests.Fetch;

public sealed class UrlGuardTests
{
    private static UrlGuard Guard(bool allowPrivate = false) =>
        new(new NetworkAddressPolicy(Options.Create(new FetchOptions { AllowPrivateNetworks = allowPrivate })));

    [Theory]
    [InlineData("ftp://example.com/clip.mp4")]
    [InlineData("file:///etc/passwd")]
    [InlineData("gopher://example.com/")]
    public async Task ValidateAsync_NonHttpScheme_IsRefusedNamingTheScheme(string url)
    {
        var result = await Guard().ValidateAsync(new Uri(url));

        Assert.False(result.IsAllowed);
        Assert.Contains("only http and https", result.Reason);
    }

    [Fact]
    public async Task ValidateAsync_UrlWithCredentials_IsRefusedWithoutEchoingThem()
    {
        var result = await Guard().ValidateAsync(new Uri("https://admin:hunter2@93.184.215.14/hook"));

        Assert.False(result.IsAllowed);
        Assert.DoesNotContain("hunter2", result.Reason);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/hook", "loopback")]
    [InlineData("http://169.254.169.254/latest/meta-data/", "link-local")]
    [InlineData("http://[::ffff:10.0.0.1]/hook", "private-network")]
    [InlineData("http://[fd00::1]/hook", "private-network")]
    [InlineData("http://localhost/hook", "loopback")]
    public async Task ValidateAsync_HostResolvingToBlockedRange_IsRefusedNamingTheRange(string url, string range)
    {
        var result = await Guard().ValidateAsync(new Uri(url));

        Assert.False(result.IsAllowed);
        Assert.Contains(range, result.Reason);
    }

    [Theory]
    [InlineData("http://127.\u061c\u200e\u200f0.0.1/hook")]
    [InlineData("http://127.0.\u0645\u0631\u062d\u0628\u06270.1/hook")]
    public async Task ValidateAsync_HostThatIdnaCannotEncode_IsRefusedRatherThanThrowing(string url)
    {
        var result = await Guard().ValidateAsync(new Uri(url));

        Assert.False(result.IsAllowed);
        Assert.Contains("not a valid host name", result.Reason);
        Assert.Throws<FetchException>(() => UrlGuard.EnsureFetchable(new Uri(url)));
    }

    [Fact]
    public async Task ValidateAsync_PublicAddress_IsAllowed()
    {
        var result = await Guard().ValidateAsync(new Uri("https://93.184.215.14/hook"));

        Assert.True(result.IsAllowed);
    }

    [Fact]
    public async Task ValidateAsync_LoopbackWithPrivateNetworksAllowed_IsAllowed()
    {
        var result = await Guard(allowPrivate: true).ValidateAsync(new Uri("http://127.0.0.1:8080/hook"));

        Assert.True(result.IsAllowed);
    }

    [Fact]
    public async Task ValidateAsync_HostThatDoesNotResolve_IsRefused()
    {
        var result = await Guard().ValidateAsync(new Uri("https://does-not-exist.invalid/hook"));

        Assert.False(result.IsAllowed);
        Assert.Contains("could not be resolved", result.Reason);
    }

    [Fact]
    public void Display_DropsUserInfoButKeepsPathAndQuery() =>
        Assert.Equal("https://cdn.example.com/a.png?v=2",
            UrlGuard.Display(new Uri("https://user:secret@cdn.example.com/a.png?v=2")));
}
