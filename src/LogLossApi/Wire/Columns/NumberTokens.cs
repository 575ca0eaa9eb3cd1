using System.Buffers;
using System.Text.Json;
using LogLossApi.Wire.Limits;
using LogLossApi.Wire.Numbers;

namespace LogLossApi.Wire.Columns;

/// <summary>
/// The number tokens of a long JSON array, converted on other cores while the serializer's reader is still going
/// through the array: converting a 17-digit number costs more than finding it, and one reader converts one at a time.
/// The reader checks the grammar and hands over each token (<see cref="Add"/>); its bytes are copied into chunks of
/// <see cref="ChunkTokens"/> tokens, and each full chunk is converted on the thread pool at once; a converted chunk
/// gives its text back to the pool, so only the chunks in flight hold text, and the next chunks reuse it. No
/// serializer internals are involved; every buffer is charged to the request's memory and given back by
/// <see cref="Dispose"/>.
/// </summary>
internal sealed class NumberTokens : IDisposable
{
    /// <summary>Tokens per chunk: enough that handing a chunk to the pool costs nothing beside converting it.</summary>
    public const int ChunkTokens = 32 * 1024;

    private readonly List<Chunk> _chunks = [];
    private Chunk? _current;

    public int Count { get; private set; }

    /// <summary>Appends the current token's bytes; a chunk that is full starts converting.</summary>
    public void Add(ref readonly Utf8JsonReader reader)
    {
        if (_current is null || _current.Count == ChunkTokens)
        {
            if (_current is not null)
            {
                _current.StartConverting();
            }

            _current = new Chunk();
            _chunks.Add(_current);
        }

        _current.Add(in reader);
        Count++;
    }

    /// <summary>
    /// Copies every chunk's values, in order, into <paramref name="destination"/>: a chunk no pool thread has taken
    /// up yet (the last one always) is converted right here, so the caller never waits on work queued behind it.
    /// </summary>
    public void CopyTo(Span<double> destination)
    {
        var offset = 0;
        foreach (var chunk in _chunks)
        {
            chunk.Values().CopyTo(destination[offset..]);
            offset += chunk.Count;
        }
    }

    public void Dispose()
    {
        foreach (var chunk in _chunks)
        {
            chunk.Dispose();
        }

        _chunks.Clear();
        _current = null;
        Count = 0;
    }

    /// <summary>Up to <see cref="ChunkTokens"/> tokens: their text, where each ends, and (once converted) their values.</summary>
    private sealed class Chunk : IDisposable
    {
        private readonly double[] _values;
        private readonly RequestMemory.IAccount? _account;
        private int[] _ends;
        private byte[] _text;
        private int _used;
        private Task? _conversion;
        private int _claimed;

        public Chunk()
        {
            _text = RequestBuffers.Rent<byte>(ChunkTokens * 24);
            _ends = RequestBuffers.Rent<int>(ChunkTokens);
            _values = RequestBuffers.Rent<double>(ChunkTokens);
            try
            {
                _account = RequestMemory.Charge(Bytes);
            }
            catch (RequestMemoryExhaustedException)
            {
                Return();
                throw;
            }
        }

        public int Count { get; private set; }

        private long Bytes => TextBytes + RequestBuffers.Bytes(_values);

        private long TextBytes => RequestBuffers.Bytes(_text) + RequestBuffers.Bytes(_ends);

        public void Add(ref readonly Utf8JsonReader reader)
        {
            var length = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
            if (_used + length > _text.Length)
            {
                Grow(_used + length);
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

        public void StartConverting() => _conversion ??= Task.Run(() => TryConvert());

        /// <summary>The chunk's values: converted here unless a pool thread took the chunk up first, then awaited.</summary>
        public ReadOnlySpan<double> Values()
        {
            if (!TryConvert())
            {
                _conversion!.GetAwaiter().GetResult();
            }

            return _values.AsSpan(0, Count);
        }

        public void Dispose()
        {
            // A conversion still running reads the buffers: they go back only once it is done (or it never starts).
            if (!TryClaim())
            {
                _conversion?.Wait();
            }

            _account?.Release(Bytes);
            Return();
        }

        private bool TryClaim() => Interlocked.Exchange(ref _claimed, 1) == 0;

        /// <summary>
        /// Every token (each one the reader found to be a JSON number) to its nearest double, ±∞ beyond the range as
        /// the reader gives; false when another thread has claimed the chunk.
        /// </summary>
        private bool TryConvert()
        {
            if (!TryClaim())
            {
                return false;
            }

            var start = 0;
            for (var i = 0; i < Count; i++)
            {
                var token = _text.AsSpan(start, _ends[i] - start);
                _values[i] = NumberText.TryParseJsonToken(token, out var value) ? value : double.Parse(token, System.Globalization.CultureInfo.InvariantCulture);
                start = _ends[i];
            }

            // The text is not needed any more: back to the pool (and the budget) for the chunks still to come.
            _account?.Release(TextBytes);
            RequestBuffers.Return(_text);
            RequestBuffers.Return(_ends);
            (_text, _ends) = ([], []);
            return true;
        }

        /// <summary>Room for longer tokens than the usual 17-digit ones (text beyond 24 bytes a number on average).</summary>
        private void Grow(int needed)
        {
            var grown = RequestBuffers.Rent<byte>(Math.Max(needed, 2 * _text.Length));
            try
            {
                RequestMemory.Charge(RequestBuffers.Bytes(grown) - RequestBuffers.Bytes(_text));
            }
            catch (RequestMemoryExhaustedException)
            {
                RequestBuffers.Return(grown);
                throw;
            }

            _text.AsSpan(0, _used).CopyTo(grown);
            RequestBuffers.Return(_text);
            _text = grown;
        }

        private void Return()
        {
            if (_text.Length > 0)
            {
                RequestBuffers.Return(_text);
                RequestBuffers.Return(_ends);
            }

            RequestBuffers.Return(_values);
        }
    }
}
