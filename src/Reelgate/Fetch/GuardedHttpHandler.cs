using System.Net;
using System.Net.Sockets;

namespace Reelgate.Fetch;

/// <summary>Builds the handler that checks the address each connection is actually opened to, closing the DNS-rebinding gap.</summary>
public static class GuardedHttpHandler
{
    public static SocketsHttpHandler Create(IAddressPolicy policy, FetchOptions options) => new()
    {
        AllowAutoRedirect = false,
        // Through a proxy the callback would vet the proxy's address instead of the target's.
        UseProxy = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
        ConnectTimeout = options.ConnectTimeout,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectCallback = (context, cancellationToken) => ConnectAsync(policy, context.DnsEndPoint, cancellationToken),
    };

    private static async ValueTask<Stream> ConnectAsync(IAddressPolicy policy, DnsEndPoint endpoint, CancellationToken cancellationToken)
    {
        var addresses = await UrlGuard.ResolveAsync(endpoint.Host, cancellationToken);
        var allowed = addresses.Where(policy.IsAllowed).ToArray();
        if (allowed.Length == 0)
        {
            throw new BlockedAddressException(endpoint.Host, addresses);
        }
        SocketException? lastFailure = null;
        foreach (var address in allowed)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endpoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException failure)
            {
                socket.Dispose();
                lastFailure = failure;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw lastFailure!;
    }
}
