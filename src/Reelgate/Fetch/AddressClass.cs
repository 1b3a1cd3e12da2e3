namespace Reelgate.Fetch;

public enum AddressClass
{
    Public,
    Unspecified,
    ThisNetwork,
    Loopback,
    Private,
    SharedAddressSpace,
    LinkLocal,
    Multicast,
    Broadcast,
    Benchmarking,
    Documentation,
    Reserved,
}
