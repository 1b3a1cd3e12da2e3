using System.Net;
using Microsoft.Extensions.Options;

namespace Reelgate.Fetch;

/// <summary>Allows public addresses only, unless <see cref="FetchOptions.AllowPrivateNetworks"/> is set.</summary>
public sealed class NetworkAddressPolicy(IOptions<FetchOptions> options) : IAddressPolicy
{
    public bool IsAllowed(IPAddress address) =>
        options.Value.AllowPrivateNetworks || AddressClassifier.IsPublic(address);
}
