using System.Net;

namespace Reelgate.Fetch;

/// <summary>Decides whether Reelgate may open a connection to an address on a user's behalf.</summary>
public interface IAddressPolicy
{
    bool IsAllowed(IPAddress address);
}
