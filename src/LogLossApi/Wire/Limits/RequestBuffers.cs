using System.Buffers;

namespace LogLossApi.Wire.Limits;

/// <summary>
/// Where a request's large buffers (columns, a body made contiguous, formatted output) come from: the shared pool up
/// to <see cref="PooledLimitBytes"/>, exact-size arrays beyond. Pooling the large ones matters: memory the process
/// has just received from the kernel costs a page fault per 4 KiB on first touch, which on these virtual machines
/// took longer than parsing (a fresh 21 MB copy of a 1M-sample body: 40–80 ms; the same copy into a reused buffer:
/// a few). The pool gives the memory back on its own when the GC reports pressure.
/// </summary>
internal static class RequestBuffers
{
    /// <summary>32 MiB: a 4M-value column, or the body of about 1.5M samples.</summary>
    public const int PooledLimitBytes = 32 * 1024 * 1024;

    /// <summary>An array of at least <paramref name="length"/> elements, contents unspecified.</summary>
    public static T[] Rent<T>(int length)
        where T : unmanaged =>
        IsPooled<T>(length) ? ArrayPool<T>.Shared.Rent(length) : GC.AllocateUninitializedArray<T>(length);

    /// <summary>Gives back an array from <see cref="Rent{T}"/>.</summary>
    public static void Return<T>(T[] array)
        where T : unmanaged
    {
        if (IsPooled<T>(array.Length))
        {
            ArrayPool<T>.Shared.Return(array);
        }
    }

    /// <summary>The bytes an array from <see cref="Rent{T}"/> holds, which is what the request is charged.</summary>
    public static long Bytes<T>(T[] array)
        where T : unmanaged =>
        (long)array.Length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();

    // A pooled request of at most the limit rents at most the limit (the pool rounds up to a power of two).
    private static bool IsPooled<T>(int length)
        where T : unmanaged =>
        (long)length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>() <= PooledLimitBytes;
}
