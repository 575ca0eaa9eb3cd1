using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using LogLossApi.Wire.Limits;
using ParquetSharp;
using ParquetSharp.IO;

namespace LogLossApi.Wire.Input.Tabular;

/// <summary>
/// An <c>application/vnd.apache.parquet</c> body read with ParquetSharp (Apache Parquet C++): held whole, since a
/// Parquet file's footer is at its end (charged to the request's memory), then read row group by row group and page by
/// page into the caller's blocks, so that only the body and one block are ever in memory. Flat numeric columns: double,
/// float, integers of any width (signed or not) and booleans (0/1); nulls are refused by row, like the other formats.
/// </summary>
internal sealed class ParquetTabularReader : TabularReader
{
    private readonly byte[] _body;
    private readonly RequestMemory.IAccount? _account;
    private readonly ParquetFileReader _file;
    private readonly int _groups;
    private int _group = -1;
    private RowGroupReader? _rowGroup;
    private readonly ColumnSource?[] _columns;
    private long _groupLeft;
    private long _row;

    private ParquetTabularReader(byte[] body, RequestMemory.IAccount? account, ParquetFileReader file, IReadOnlyList<string> names)
        : base(names)
    {
        _body = body;
        _account = account;
        _file = file;
        _groups = file.FileMetaData.NumRowGroups;
        _columns = new ColumnSource?[names.Count];
    }

    public override TabularFormat Format => TabularFormat.Parquet;

    public static async Task<TabularReader> OpenAsync(Stream body, long maxBodyBytes, CancellationToken cancellationToken)
    {
        var (bytes, length) = await ReadWholeAsync(body, maxBodyBytes, cancellationToken);
        RequestMemory.IAccount? account;
        try
        {
            account = RequestMemory.Charge(RequestBuffers.Bytes(bytes));
        }
        catch
        {
            RequestBuffers.Return(bytes);
            throw;
        }

        ParquetFileReader? file = null;
        try
        {
            file = new ParquetFileReader(new ManagedRandomAccessFile(new MemoryStream(bytes, 0, length, writable: false), leaveOpen: false));
            var schema = file.FileMetaData.Schema;
            var names = new string[schema.NumColumns];
            for (var c = 0; c < names.Length; c++)
            {
                var column = schema.Column(c);
                names[c] = column.Path.ToDotString();
                if (Unsupported(column) is { } problem)
                {
                    throw new RequestFormatException(names[c], problem);
                }
            }

            return new ParquetTabularReader(bytes, account, file, names);
        }
        catch (ParquetException error)
        {
            file?.Dispose();
            Release(bytes, account);
            throw new RequestFormatException("$", "The body is not a readable Parquet file: " + error.Message.Split('\n')[0], error);
        }
        catch
        {
            file?.Dispose();
            Release(bytes, account);
            throw;
        }
    }

    public override ValueTask<bool> ReadBlockAsync(RowBlock block, IReadOnlyList<int> ordinals, CancellationToken cancellationToken)
    {
        block.FirstRow = _row;
        block.Count = 0;
        try
        {
            while (block.Count < RowBlock.Capacity && (_groupLeft > 0 || NextGroup(ordinals)))
            {
                var take = (int)Math.Min(RowBlock.Capacity - block.Count, _groupLeft);
                for (var c = 0; c < ordinals.Count; c++)
                {
                    var destination = block.Columns[c].AsSpan(block.Count, take);
                    if (ordinals[c] < 0)
                    {
                        destination.Fill(1.0);
                    }
                    else
                    {
                        _columns[ordinals[c]]!.Read(destination, _row, ordinals[c], this);
                    }
                }

                block.Count += take;
                _groupLeft -= take;
                _row += take;
            }
        }
        catch (ParquetException error)
        {
            throw new RequestFormatException($"$[{_row}]", $"The Parquet row group holding row {_row} is corrupt: " + error.Message.Split('\n')[0], error);
        }

        return ValueTask.FromResult(block.Count > 0);
    }

    public override ValueTask DisposeAsync()
    {
        CloseGroup();
        _file.Dispose();
        Release(_body, _account);
        return ValueTask.CompletedTask;
    }

    /// <summary>Opens the next row group that has rows, with a reader for each column asked for; false after the last.</summary>
    private bool NextGroup(IReadOnlyList<int> ordinals)
    {
        while (++_group < _groups)
        {
            CloseGroup();
            _rowGroup = _file.RowGroup(_group);
            _groupLeft = _rowGroup.MetaData.NumRows;
            if (_groupLeft == 0)
            {
                continue;
            }

            foreach (var ordinal in ordinals.Where(o => o >= 0).Distinct())
            {
                _columns[ordinal] = ColumnSource.Of(_rowGroup.Column(ordinal));
            }

            return true;
        }

        CloseGroup();
        return false;
    }

    private void CloseGroup()
    {
        for (var c = 0; c < _columns.Length; c++)
        {
            _columns[c]?.Dispose();
            _columns[c] = null;
        }

        _rowGroup?.Dispose();
        _rowGroup = null;
    }

    /// <summary>Why a column cannot be read as numbers, or null when it can.</summary>
    private static string? Unsupported(ColumnDescriptor column)
    {
        if (column.MaxRepetitionLevel > 0)
        {
            return "Is a nested (list) column; flat numeric columns are required.";
        }

        using var logical = column.LogicalType;
        var numeric = column.PhysicalType switch
        {
            PhysicalType.Double or PhysicalType.Float or PhysicalType.Boolean => logical.Type == LogicalTypeEnum.None,
            PhysicalType.Int32 or PhysicalType.Int64 => logical.Type is LogicalTypeEnum.None or LogicalTypeEnum.Int,
            _ => false,
        };
        return numeric ? null : $"Has Parquet type {column.PhysicalType}{(logical.Type == LogicalTypeEnum.None ? "" : $" ({logical.Type})")}; numeric columns (integer, floating point or boolean) are required.";
    }

    /// <summary>
    /// The body in one buffer from <see cref="RequestBuffers"/> (reused memory: a fresh one costs a page fault per
    /// 4 KiB), sized by its Content-Length when that is known and not above 64 MiB, grown by doubling otherwise.
    /// </summary>
    private static async Task<(byte[] Bytes, int Length)> ReadWholeAsync(Stream body, long maxBodyBytes, CancellationToken cancellationToken)
    {
        // One byte beyond the expected length, so that a body of exactly that length ends without growing the buffer.
        var bytes = RequestBuffers.Rent<byte>((int)(maxBodyBytes <= 64 << 20 ? maxBodyBytes + 1 : 1 << 20));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == bytes.Length)
                {
                    var larger = RequestBuffers.Rent<byte>((int)Math.Min(Array.MaxLength, bytes.Length * 2L));
                    bytes.AsSpan(0, length).CopyTo(larger);
                    RequestBuffers.Return(bytes);
                    bytes = larger;
                }

                var read = await body.ReadAsync(bytes.AsMemory(length), cancellationToken);
                if (read == 0)
                {
                    return (bytes, length);
                }

                length += read;
            }
        }
        catch
        {
            RequestBuffers.Return(bytes);
            throw;
        }
    }

    private static void Release(byte[] bytes, RequestMemory.IAccount? account)
    {
        account?.Release(RequestBuffers.Bytes(bytes));
        RequestBuffers.Return(bytes);
    }

    /// <summary>One column of the open row group, read page by page through its physical type's reader.</summary>
    private abstract class ColumnSource : IDisposable
    {
        private readonly short[] _levels = new short[RowBlock.Capacity];

        protected ColumnSource(ColumnReader reader)
        {
            Reader = reader;
            MaxDefinition = reader.ColumnDescriptor.MaxDefinitionLevel;
        }

        protected ColumnReader Reader { get; }

        /// <summary>Whether the column may hold nulls, so that its definition levels must be read.</summary>
        protected bool Optional => MaxDefinition > 0;

        private short MaxDefinition { get; }

        public static ColumnSource Of(ColumnReader reader)
        {
            using var logical = reader.ColumnDescriptor.LogicalType;
            var unsigned = logical is IntLogicalType { IsSigned: false };
            return reader switch
            {
                ColumnReader<double> r => new Typed<double>(r, (values, destination) => values.CopyTo(destination)),
                ColumnReader<float> r => new Typed<float>(r, (values, destination) => TensorPrimitives.ConvertChecked(values, destination)),
                ColumnReader<int> r when unsigned => new Typed<int>(r, (values, destination) => TensorPrimitives.ConvertChecked<uint, double>(MemoryMarshal.Cast<int, uint>(values), destination)),
                ColumnReader<int> r => new Typed<int>(r, (values, destination) => TensorPrimitives.ConvertChecked(values, destination)),
                ColumnReader<long> r when unsigned => new Typed<long>(r, (values, destination) => TensorPrimitives.ConvertChecked<ulong, double>(MemoryMarshal.Cast<long, ulong>(values), destination)),
                ColumnReader<long> r => new Typed<long>(r, (values, destination) => TensorPrimitives.ConvertChecked(values, destination)),
                ColumnReader<bool> r => new Typed<bool>(r, Booleans),
                _ => throw new InvalidOperationException($"Column type {reader.Type} passed the schema check but has no reader."),
            };
        }

        /// <summary>Fills <paramref name="destination"/> with the column's next values (rows from <paramref name="row"/>).</summary>
        public void Read(Span<double> destination, long row, int ordinal, TabularReader owner)
        {
            var done = 0;
            while (done < destination.Length)
            {
                var levels = _levels.AsSpan(0, destination.Length - done);
                var (rows, values) = ReadValues(levels, destination[done..]);
                if (rows == 0)
                {
                    throw new RequestFormatException($"$[{row + done}]", $"The Parquet column {owner.Names[ordinal]} ends before row {row + done}, which its row group declares.");
                }

                if (MaxDefinition > 0 && values < rows)
                {
                    var missing = levels[..(int)rows].IndexOfAnyExcept(MaxDefinition);
                    throw new RequestFormatException(owner.Key(row + done + missing, ordinal), "Is null; a number is required.");
                }

                done += (int)rows;
            }
        }

        /// <summary>Reads up to <paramref name="destination"/>'s length rows: (rows read, values read).</summary>
        protected abstract (long Rows, long Values) ReadValues(Span<short> levels, Span<double> destination);

        public void Dispose() => Reader.Dispose();

        private static void Booleans(ReadOnlySpan<bool> values, Span<double> destination)
        {
            for (var i = 0; i < values.Length; i++)
            {
                destination[i] = values[i] ? 1.0 : 0.0;
            }
        }

        private sealed class Typed<T>(ColumnReader<T> reader, Typed<T>.Widen widen) : ColumnSource(reader)
            where T : unmanaged
        {
            public delegate void Widen(ReadOnlySpan<T> values, Span<double> destination);

            private readonly T[] _values = new T[RowBlock.Capacity];

            protected override (long Rows, long Values) ReadValues(Span<short> levels, Span<double> destination)
            {
                var values = _values.AsSpan(0, levels.Length);
                long read;
                var rows = Optional
                    ? reader.ReadBatch(levels.Length, levels, default, values, out read)
                    : read = reader.ReadBatch(levels.Length, values, out _);
                widen(values[..(int)read], destination[..(int)read]);
                return (rows, read);
            }
        }
    }
}
