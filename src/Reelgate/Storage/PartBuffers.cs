using System.Collections.Concurrent;

namespace Reelgate.Storage;

/// <summary>
/// Part-sized buffers shared by a store's uploads. Unlike the shared array pool, which parks returned arrays with the
/// returning thread, a returned buffer is reused by whichever upload asks next, so a transfer's memory stays at the parts
/// it has in flight. At most <paramref name="idleLimit"/> buffers are kept between uploads.
/// </summary>
internal sealed class PartBuffers(int partSize, int idleLimit)
{
    private readonly ConcurrentBag<byte[]> idle = [];

    public byte[] Rent() => idle.TryTake(out var buffer) ? buffer : GC.AllocateUninitializedArray<byte>(partSize);

    public void Return(byte[] buffer)
    {
        if (idle.Count < idleLimit)
        {
            idle.Add(buffer);
        }
    }
}
