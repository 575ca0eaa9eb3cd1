using System.Buffers;
using LogLossApi.Wire.Limits;

namespace LogLossApi.Wire.Columns;

/// <summary>
/// Collects numbers of unknown count in pooled chunks, then copies them once into a column of the exact length: at
/// most one extra copy of the data is ever alive, and no array is regrown. Chunks start at 512 values and double up
/// to 8,192 (64 KiB, below the large-object heap), so a small request rents one small array and a large one
/// reuses the same mid-size arrays from the pool.
/// </summary>
internal sealed class NumberColumnBuilder : IDisposable
{
    private const int FirstChunkLength = 512;
    private const int MaxChunkLength = 8 * 1024;

    private readonly List<double[]> _chunks = [];
    private RequestMemory.IAccount? _account;
    private long _charged;
    private double[] _current = [];
    private int _used;

    public int Count { get; private set; }

    public void Add(double value)
    {
        if (_used == _current.Length)
        {
            NextChunk();
        }

        _current[_used++] = value;
        Count++;
    }

    public void AddRange(ReadOnlySpan<double> values)
    {
        while (!values.IsEmpty)
        {
            if (_used == _current.Length)
            {
                NextChunk();
            }

            var take = Math.Min(values.Length, _current.Length - _used);
            values[..take].CopyTo(_current.AsSpan(_used));
            _used += take;
            Count += take;
            values = values[take..];
        }
    }

    /// <summary>The collected numbers as one column; the builder is empty afterwards.</summary>
    public NumberColumn Build()
    {
        var column = NumberColumn.Allocate(Count);
        CopyTo(column.WritableSpan);
        Dispose();
        return column;
    }

    /// <summary>Copies the collected numbers, in order, to the start of <paramref name="destination"/>.</summary>
    public void CopyTo(Span<double> destination)
    {
        var offset = 0;
        foreach (var chunk in _chunks)
        {
            var take = Math.Min(chunk.Length, Count - offset);
            chunk.AsSpan(0, take).CopyTo(destination[offset..]);
            offset += take;
        }
    }

    public void Dispose()
    {
        foreach (var chunk in _chunks)
        {
            ArrayPool<double>.Shared.Return(chunk);
        }

        _account?.Release(_charged);
        _charged = 0;
        _chunks.Clear();
        _current = [];
        _used = 0;
        Count = 0;
    }

    private void NextChunk()
    {
        var length = _chunks.Count == 0 ? FirstChunkLength : Math.Min(MaxChunkLength, _current.Length * 2);
        _account = RequestMemory.Charge((long)length * sizeof(double));
        _charged += (long)length * sizeof(double);
        _current = ArrayPool<double>.Shared.Rent(length);
        _chunks.Add(_current);
        _used = 0;
    }
}
