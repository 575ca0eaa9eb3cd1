using System.Buffers.Binary;

namespace LogLossApi.Wire.Input.Tabular;

/// <summary>
/// A read-only pass-through over an Arrow IPC stream that checks each message's framing before the bytes reach the
/// Arrow reader: the metadata length (at most <see cref="MaxMetadataBytes"/>) and the body length that the message's
/// flatbuffer declares, which cannot exceed what is left of the request (<paramref name="maxStreamBytes"/>: its
/// Content-Length, or its byte limit when chunked). Apache.Arrow allocates whatever a message declares, so a few
/// corrupt bytes could otherwise make a 1 KB request allocate gigabytes; here they fail with
/// <see cref="InvalidDataException"/> before any allocation. The same goes for the counts inside each message's
/// flatbuffer (columns, children, buffers, metadata entries): Apache.Arrow loops over them as declared, so a corrupt
/// count could keep a request busy for minutes; every one is checked against the bytes that could hold it, and only
/// what this service reads is admitted (a schema of flat columns, then record batches).
/// </summary>
internal sealed class ArrowFramingGuard(Stream inner, long maxStreamBytes) : Stream
{
    public const int MaxMetadataBytes = 1024 * 1024;
    public const int MaxColumns = 64;
    private const uint Continuation = 0xFFFFFFFF;
    private const byte SchemaHeader = 1;
    private const byte RecordBatchHeader = 3;

    private readonly byte[] _word = new byte[4];
    private byte[] _metadata = [];
    private State _state = State.Prefix;
    private int _have;
    private long _remaining;
    private long _seen;
    private bool _schemaSeen;

    private enum State
    {
        Prefix,
        Length,
        Metadata,
        Body,
        End,
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        Inspect(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = inner.Read(buffer, offset, count);
        Inspect(buffer.AsSpan(offset, read));
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private void Inspect(ReadOnlySpan<byte> bytes)
    {
        _seen += bytes.Length;
        var unread = maxStreamBytes - _seen;
        while (!bytes.IsEmpty && _state != State.End)
        {
            switch (_state)
            {
                case State.Prefix or State.Length:
                    if (!Collect(ref bytes, _word))
                    {
                        break;
                    }

                    var word = BinaryPrimitives.ReadUInt32LittleEndian(_word);
                    if (_state == State.Prefix && word == Continuation)
                    {
                        _state = State.Length;
                        break;
                    }

                    StartMetadata((int)word);
                    break;
                case State.Metadata:
                    if (Collect(ref bytes, _metadata))
                    {
                        StartBody(CheckMessage(_metadata), unread + bytes.Length);
                    }

                    break;
                case State.Body:
                    var skip = (int)Math.Min(_remaining, bytes.Length);
                    bytes = bytes[skip..];
                    _remaining -= skip;
                    if (_remaining == 0)
                    {
                        _state = State.Prefix;
                    }

                    break;
            }
        }
    }

    /// <summary>Copies bytes into <paramref name="target"/> until it is full; true when it is.</summary>
    private bool Collect(ref ReadOnlySpan<byte> bytes, byte[] target)
    {
        var take = Math.Min(target.Length - _have, bytes.Length);
        bytes[..take].CopyTo(target.AsSpan(_have));
        bytes = bytes[take..];
        _have += take;
        if (_have < target.Length)
        {
            return false;
        }

        _have = 0;
        return true;
    }

    private void StartMetadata(int length)
    {
        if (length == 0)
        {
            _state = State.End;
            return;
        }

        if (length is < 0 or > MaxMetadataBytes)
        {
            throw new InvalidDataException($"An Arrow message declares {length} bytes of metadata; at most {MaxMetadataBytes} are accepted.");
        }

        _metadata = new byte[length];
        _state = State.Metadata;
    }

    private void StartBody(long length, long left)
    {
        if (length < 0 || length > left)
        {
            throw new InvalidDataException($"An Arrow message declares a body of {length} bytes; only {left} are left in the request.");
        }

        _remaining = length;
        _state = length == 0 ? State.Prefix : State.Body;
    }

    /// <summary>
    /// Checks one message's flatbuffer (Arrow's Message.fbs / Schema.fbs) and returns its declared body length: the
    /// first message must be a schema of at most <see cref="MaxColumns"/> flat, non-dictionary columns, every later
    /// one a record batch, and every vector must fit in the metadata.
    /// </summary>
    private long CheckMessage(byte[] metadata)
    {
        try
        {
            var flat = new FlatBuffer(metadata);
            var message = flat.Root();
            flat.Vector(message, 4, 4);
            var headerType = flat.Byte(message, 1);
            var header = flat.Table(message, 2) ?? throw new InvalidDataException("An Arrow message has no header.");
            if (!_schemaSeen)
            {
                CheckSchema(flat, headerType, header);
                _schemaSeen = true;
            }
            else if (headerType != RecordBatchHeader)
            {
                throw new InvalidDataException("Only record batches may follow the schema; dictionary batches are not supported.");
            }
            else
            {
                flat.Vector(header, 1, 16);
                flat.Vector(header, 2, 16);
                flat.Vector(header, 4, 8);
            }

            return flat.Long(message, 3);
        }
        catch (Exception error) when (error is ArgumentOutOfRangeException or IndexOutOfRangeException or OverflowException)
        {
            throw new InvalidDataException("An Arrow message's metadata is not a valid flatbuffer.", error);
        }
    }

    private static void CheckSchema(FlatBuffer flat, byte headerType, int schema)
    {
        if (headerType != SchemaHeader)
        {
            throw new InvalidDataException("An Arrow stream must start with its schema.");
        }

        flat.Vector(schema, 2, 4);
        flat.Vector(schema, 3, 8);
        var (fields, count) = flat.Vector(schema, 1, 4);
        if (count > MaxColumns)
        {
            throw new InvalidDataException($"The Arrow schema declares {count} columns; at most {MaxColumns} are accepted.");
        }

        for (var i = 0; i < count; i++)
        {
            var field = flat.Indirect(fields + (4 * i));
            flat.Vector(field, 0, 1);
            flat.Vector(field, 6, 4);
            if (flat.Vector(field, 5, 4).Count != 0 || flat.Table(field, 4) is not null)
            {
                throw new InvalidDataException("Nested and dictionary-encoded Arrow columns are not supported; send flat numeric columns.");
            }
        }
    }

    /// <summary>Bounds-checked reads of a little-endian flatbuffer: tables through their vtables, vectors by count.</summary>
    private readonly struct FlatBuffer(byte[] bytes)
    {
        public int Root() => Indirect(0);

        /// <summary>The table or vector that the offset stored at <paramref name="position"/> points to.</summary>
        public int Indirect(int position) => checked(position + (int)BinaryPrimitives.ReadUInt32LittleEndian(Span(position, 4)));

        public byte Byte(int table, int field) => Slot(table, field) is var slot and > 0 ? Span(table + slot, 1)[0] : (byte)0;

        public long Long(int table, int field) => Slot(table, field) is var slot and > 0 ? BinaryPrimitives.ReadInt64LittleEndian(Span(table + slot, 8)) : 0;

        public int? Table(int table, int field) => Slot(table, field) is var slot and > 0 ? Indirect(table + slot) : null;

        /// <summary>A vector field's first element and count (0 when absent), checked to fit in the buffer.</summary>
        public (int Start, int Count) Vector(int table, int field, int elementSize)
        {
            if (Table(table, field) is not { } vector)
            {
                return (0, 0);
            }

            var count = BinaryPrimitives.ReadUInt32LittleEndian(Span(vector, 4));
            if (vector + 4 + ((long)count * elementSize) > bytes.Length)
            {
                throw new InvalidDataException("An Arrow message declares more entries than its metadata holds.");
            }

            return (vector + 4, (int)count);
        }

        private int Slot(int table, int field)
        {
            var vtable = checked(table - BinaryPrimitives.ReadInt32LittleEndian(Span(table, 4)));
            var size = BinaryPrimitives.ReadUInt16LittleEndian(Span(vtable, 2));
            var slot = 4 + (2 * field);
            return slot + 2 <= size ? BinaryPrimitives.ReadUInt16LittleEndian(Span(vtable + slot, 2)) : 0;
        }

        private ReadOnlySpan<byte> Span(int position, int length) =>
            position >= 0 && (long)position + length <= bytes.Length
                ? bytes.AsSpan(position, length)
                : throw new ArgumentOutOfRangeException(nameof(position), position, "Outside the flatbuffer.");
    }
}
