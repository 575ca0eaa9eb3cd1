using System.Buffers;
using System.Text.Json;
using LogLossApi.Wire.Limits;

namespace LogLossApi.Wire.Columns;

/// <summary>
/// Writes a long column of numbers as a JSON array on every core: formatting a double costs ~95 ns, the arithmetic
/// behind it ~2, so a million per-sample losses would keep one core busy for a tenth of a second while the others
/// idle. The column is cut into one part per core; each part is written by its own <see cref="Utf8JsonWriter"/> (so
/// every number is formatted exactly as <see cref="Utf8JsonWriter.WriteNumberValue(double)"/> formats it) into its
/// own region of one buffer, the regions are joined in place, and the joined array goes out as one raw value.
/// </summary>
internal static class ParallelFormatter
{
    /// <summary>Below this many values one core is quicker than handing out work.</summary>
    public const int MinLength = 64 * 1024;

    // The longest shortest-round-trip double is 24 bytes ("-2.2250738585072014E-308"), plus its comma.
    private const int MaxBytesPerValue = 25;

    /// <summary>
    /// Above this many values (about 1.3 million) the formatted text would not fit a pooled buffer: such columns are
    /// written by one core, straight into the response, rather than doubling the memory a huge request holds.
    /// </summary>
    public const int MaxLength = (RequestBuffers.PooledLimitBytes - (64 * 1024)) / MaxBytesPerValue;

    // Utf8JsonWriter asks its output for at least 256 bytes at a time, even for the last number of a part.
    private const int Slack = 512;

    public static void Write(Utf8JsonWriter writer, NumberColumn column)
    {
        var parts = Math.Min(Environment.ProcessorCount, column.Length / (MinLength / 2));
        var regionLength = checked((((column.Length / parts) + 1) * MaxBytesPerValue) + 2 + Slack);
        var buffer = RequestBuffers.Rent<byte>(checked(regionLength * parts));
        RequestMemory.IAccount? account = null;
        try
        {
            account = RequestMemory.Charge(buffer.Length);
            var written = new int[parts];
            Parallel.For(0, parts, part =>
            {
                var (start, length) = Part(column.Length, parts, part);
                var region = new FixedBufferWriter(buffer, part * regionLength, regionLength);
                using (var partWriter = new Utf8JsonWriter(region))
                {
                    NumberColumnConverter.WriteArray(partWriter, column.Span.Slice(start, length));
                }

                written[part] = region.Written;
            });

            writer.WriteRawValue(Join(buffer, regionLength, written), skipInputValidation: true);
        }
        finally
        {
            account?.Release(buffer.Length);
            RequestBuffers.Return(buffer);
        }
    }

    /// <summary>Moves the inside of every region's "[…]" up against the previous one: "[a,b" + ",c,d" + "]".</summary>
    private static ReadOnlySpan<byte> Join(byte[] buffer, int regionLength, int[] written)
    {
        var end = 1;
        for (var part = 0; part < written.Length; part++)
        {
            var inner = buffer.AsSpan((part * regionLength) + 1, written[part] - 2);
            if (inner.IsEmpty)
            {
                continue;
            }

            if (end > 1)
            {
                buffer[end++] = (byte)',';
            }

            inner.CopyTo(buffer.AsSpan(end));
            end += inner.Length;
        }

        buffer[end++] = (byte)']';
        return buffer.AsSpan(0, end);
    }

    private static (int Start, int Length) Part(int count, int parts, int part)
    {
        var start = (int)((long)count * part / parts);
        var next = (int)((long)count * (part + 1) / parts);
        return (start, next - start);
    }

    /// <summary>An <see cref="IBufferWriter{T}"/> over a fixed region that is known to be large enough.</summary>
    private sealed class FixedBufferWriter(byte[] buffer, int offset, int length) : IBufferWriter<byte>
    {
        public int Written { get; private set; }

        public void Advance(int count) => Written += count;

        public Memory<byte> GetMemory(int sizeHint = 0) => Remaining(sizeHint);

        public Span<byte> GetSpan(int sizeHint = 0) => Remaining(sizeHint).Span;

        private Memory<byte> Remaining(int sizeHint)
        {
            var remaining = buffer.AsMemory(offset + Written, length - Written);
            return remaining.Length >= Math.Max(sizeHint, 1)
                ? remaining
                : throw new InvalidOperationException("A formatted part outgrew its bound of 25 bytes per number.");
        }
    }
}
