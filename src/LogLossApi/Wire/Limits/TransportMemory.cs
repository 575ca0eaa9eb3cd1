using System.Buffers;
using Microsoft.AspNetCore.Connections;

namespace LogLossApi.Wire.Limits;

/// <summary>
/// Kestrel's socket buffers in 64 KiB blocks from the shared array pool, instead of its own 4 KiB blocks: the socket
/// transport receives into one block at a time, so a large body arrives in 64 KiB reads rather than 4 KiB ones (a
/// 16 MB Arrow body drained about twice as fast on loopback; docs/benchmarks.md, "Transport buffers"). Idle
/// connections hold no block (Kestrel waits for data before asking for one), and the shared pool keeps only a bounded
/// number of blocks per core and gives the rest back to the GC.
/// </summary>
internal sealed class TransportMemoryPoolFactory : IMemoryPoolFactory<byte>
{
    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new TransportMemoryPool();
}

/// <summary>A <see cref="MemoryPool{T}"/> whose every block is <see cref="BlockSize"/> bytes from <see cref="ArrayPool{T}.Shared"/>.</summary>
internal sealed class TransportMemoryPool : MemoryPool<byte>
{
    /// <summary>64 KiB: below the large object heap's threshold, and the size of a loopback socket read.</summary>
    public const int BlockSize = 64 * 1024;

    public override int MaxBufferSize => BlockSize;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockSize);
        return new Block(ArrayPool<byte>.Shared.Rent(BlockSize));
    }

    // Blocks belong to the shared pool, not to this one: nothing to release.
    protected override void Dispose(bool disposing)
    {
    }

    private sealed class Block(byte[] array) : IMemoryOwner<byte>
    {
        private byte[]? _array = array;

        public Memory<byte> Memory => _array ?? throw new ObjectDisposedException(nameof(Block));

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _array, null) is { } array)
            {
                ArrayPool<byte>.Shared.Return(array);
            }
        }
    }
}
