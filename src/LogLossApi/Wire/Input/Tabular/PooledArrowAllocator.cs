using System.Buffers;
using Apache.Arrow.Memory;
using LogLossApi.Wire.Limits;

namespace LogLossApi.Wire.Input.Tabular;

/// <summary>
/// Record-batch buffers for <see cref="Apache.Arrow.Ipc.ArrowStreamReader"/> from <see cref="RequestBuffers"/>
/// instead of Apache.Arrow's default native allocator, whose fresh memory for every request costs a page fault per
/// 4 KiB on first touch: most of an Arrow request's time on these machines. Disposing a batch gives its buffers back.
/// </summary>
internal sealed class PooledArrowAllocator : MemoryAllocator
{
    public static PooledArrowAllocator Instance { get; } = new();

    protected override IMemoryOwner<byte> AllocateInternal(int length, out int bytesAllocated)
    {
        var owner = new Owner(RequestBuffers.Rent<byte>(length), length);
        bytesAllocated = length;
        return owner;
    }

    private sealed class Owner(byte[] array, int length) : IMemoryOwner<byte>
    {
        private byte[]? _array = array;

        public Memory<byte> Memory => (_array ?? throw new ObjectDisposedException(nameof(PooledArrowAllocator))).AsMemory(0, length);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _array, null) is { } returned)
            {
                RequestBuffers.Return(returned);
            }
        }
    }
}
