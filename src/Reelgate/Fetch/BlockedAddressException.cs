using System.Net;

namespace Reelgate.Fetch;

/// <summary>Raised inside the connect callback so the fetcher can tell a refused address from a network failure.</summary>
public sealed class BlockedAddressException(string host, IReadOnlyList<IPAddress> addresses)
    : IOException($"{host} resolves only to addresses Reelgate may not connect to ({string.Join(", ", addresses)})")
{
    public string Host { get; } = host;

    public IReadOnlyList<IPAddress> Addresses { get; } = addresses;
}
