using System.Buffers;
using LogLossApi.Wire.Limits;
using LogLossApi.Wire.Numbers;

namespace LogLossApi.Wire.Columns;

/// <summary>
/// The text of a long JSON array's number tokens, kept while the serializer's reader goes through the array (it checks
/// the grammar and finds the tokens), and converted on every core once the array is read: converting a 17-digit
/// number costs more than everything else about a request, and one reader converts one at a time. No serializer
/// internals are involved: each token's bytes are copied here, into buffers charged to the request's memory.
/// </summary>
internal sealed class NumberTokens : IDisposable
{
    private byte[] _text = [];
    private int[] _ends = [];
    private int _used;
    private RequestMemory.IAccount? _account;

    public int Count { get; private set; }

    /// <summary>Appends the current token's bytes.</summary>
    public void Add(ref readonly System.Text.Json.Utf8JsonReader reader)
    {
        var length = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
        if (_used + length > _text.Length)
        {
            _text = Grow(_text, Math.Max(_used + length, 2 * _text.Length), _used);
        }

        if (Count == _ends.Length)
        {
            _ends = Grow(_ends, Math.Max(1024, 2 * _ends.Length), Count);
        }

        var destination = _text.AsSpan(_used, length);
        if (reader.HasValueSequence)
        {
            reader.ValueSequence.CopyTo(destination);
        }
        else
        {
            reader.ValueSpan.CopyTo(destination);
        }

        _used += length;
        _ends[Count++] = _used;
    }

    /// <summary>Converts every token (each one the reader found to be a JSON number) into <paramref name="column"/> from <paramref name="offset"/> on, one part per core.</summary>
    public void ConvertInto(NumberColumn column, int offset)
    {
        var parts = Math.Min(Environment.ProcessorCount, Math.Max(1, Count / 4096));
        Parallel.For(0, parts, part =>
        {
            var (from, to) = ((int)((long)Count * part / parts), (int)((long)Count * (part + 1) / parts));
            var values = column.WritableSpan[offset..];
            var start = from == 0 ? 0 : _ends[from - 1];
            for (var i = from; i < to; i++)
            {
                var token = _text.AsSpan(start, _ends[i] - start);
                values[i] = NumberText.TryParseJsonToken(token, out var value) ? value : double.Parse(token, System.Globalization.CultureInfo.InvariantCulture);
                start = _ends[i];
            }
        });
    }

    public void Dispose()
    {
        Return(_text);
        Return(_ends);
        (_text, _ends, _used, Count) = ([], [], 0, 0);
    }

    private T[] Grow<T>(T[] old, int length, int keep)
        where T : unmanaged
    {
        var grown = RequestBuffers.Rent<T>(length);
        try
        {
            _account = RequestMemory.Charge(RequestBuffers.Bytes(grown));
        }
        catch (RequestMemoryExhaustedException)
        {
            RequestBuffers.Return(grown);
            throw;
        }

        old.AsSpan(0, keep).CopyTo(grown);
        Return(old);
        return grown;
    }

    private void Return<T>(T[] array)
        where T : unmanaged
    {
        if (array.Length > 0)
        {
            RequestBuffers.Return(array);
            _account?.Release(RequestBuffers.Bytes(array));
        }
    }
}
