using System.Buffers;
using System.Globalization;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using LogLossApi.Wire.Numbers;
using Sylvan.Data.Csv;

namespace LogLossApi.Wire.Input.Tabular;

/// <summary>
/// Endpoint metadata for tabular bodies: query parameters the endpoint takes beside the scoring options.
/// </summary>
public sealed record TabularQueryMetadata(IReadOnlyList<string> ExtraQueryParameters);

public enum TabularFormat
{
    Csv,
    Arrow,
    Parquet,
}

/// <summary>Rows of a tabular body in reusable pooled buffers, one array per requested column.</summary>
public sealed class RowBlock : IDisposable
{
    public const int Capacity = 4096;

    public RowBlock(int columns)
    {
        Columns = new double[columns][];
        for (var c = 0; c < columns; c++)
        {
            Columns[c] = ArrayPool<double>.Shared.Rent(Capacity);
        }
    }

    /// <summary>Per requested column, its values for rows <see cref="FirstRow"/> … <see cref="FirstRow"/> + <see cref="Count"/> − 1.</summary>
    public double[][] Columns { get; }

    public long FirstRow { get; internal set; }

    public int Count { get; internal set; }

    public ReadOnlySpan<double> Column(int column) => Columns[column].AsSpan(0, Count);

    public void Dispose()
    {
        foreach (var column in Columns)
        {
            ArrayPool<double>.Shared.Return(column);
        }
    }
}

/// <summary>
/// Reads numeric columns by name from a <c>text/csv</c> body (Sylvan.Data.Csv; header row required) or an
/// <c>application/vnd.apache.arrow.stream</c> body (Apache.Arrow; any integer or floating-point column type) or an
/// <c>application/vnd.apache.parquet</c> body (<see cref="ParquetTabularReader"/>) in
/// blocks of <see cref="RowBlock.Capacity"/> rows, so that a caller can score a body of any length in constant memory.
/// Unreadable input throws <see cref="RequestFormatException"/> keyed by row and column.
/// </summary>
public abstract class TabularReader : IAsyncDisposable
{
    public const string CsvMediaType = "text/csv";
    public const string ArrowMediaType = "application/vnd.apache.arrow.stream";
    public const string ParquetMediaType = "application/vnd.apache.parquet";

    /// <summary>Every tabular media type, in the order errors and documents list them.</summary>
    public static readonly IReadOnlyList<string> MediaTypes = [CsvMediaType, ArrowMediaType, ParquetMediaType];

    /// <summary>"application/json, text/csv, … or application/vnd.apache.parquet": what a tabular endpoint takes.</summary>
    public static string AcceptedWithJson => $"application/json, {string.Join(", ", MediaTypes.SkipLast(1))} or {MediaTypes[^1]}";

    private protected TabularReader(IReadOnlyList<string> names) => Names = names;

    /// <summary>The body's column names, in order.</summary>
    public IReadOnlyList<string> Names { get; }

    public abstract TabularFormat Format { get; }

    /// <summary>The format of <paramref name="contentType"/>, or null for anything else (JSON).</summary>
    public static TabularFormat? FormatOf(string? contentType) =>
        contentType is null ? null
        : contentType.StartsWith(CsvMediaType, StringComparison.OrdinalIgnoreCase) ? TabularFormat.Csv
        : contentType.StartsWith(ArrowMediaType, StringComparison.OrdinalIgnoreCase) ? TabularFormat.Arrow
        : contentType.StartsWith(ParquetMediaType, StringComparison.OrdinalIgnoreCase) ? TabularFormat.Parquet
        : null;

    /// <param name="format">CSV, Arrow or Parquet.</param>
    /// <param name="body">The request body.</param>
    /// <param name="maxBodyBytes">The request's Content-Length, or its byte limit: no Arrow message may declare a body beyond it.</param>
    /// <param name="cancellationToken">The request's abort token.</param>
    public static async Task<TabularReader> OpenAsync(TabularFormat format, Stream body, long maxBodyBytes, CancellationToken cancellationToken) =>
        format switch
        {
            TabularFormat.Csv => await CsvTabularReader.OpenAsync(body, cancellationToken),
            TabularFormat.Arrow => await ArrowTabularReader.OpenAsync(new ArrowFramingGuard(body, maxBodyBytes), cancellationToken),
            _ => await ParquetTabularReader.OpenAsync(body, maxBodyBytes, cancellationToken),
        };

    /// <summary>
    /// Fills <paramref name="block"/> with the next rows of the columns at <paramref name="ordinals"/> (an ordinal of
    /// −1 fills 1.0, for an absent optional column); false when no rows are left.
    /// </summary>
    public abstract ValueTask<bool> ReadBlockAsync(RowBlock block, IReadOnlyList<int> ordinals, CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();

    /// <summary>The key of a value, as errors name it: "rows[41].probability" (CSV) or "probability[41]" (Arrow).</summary>
    public string Key(long row, int ordinal) => ColumnKeys.TabularElement(Format, Names[ordinal], row);

    private sealed class CsvTabularReader : TabularReader
    {
        private static readonly CsvDataReaderOptions Options = new()
        {
            HasHeaders = true,
            Delimiter = ',',
            CsvStyle = CsvStyle.Standard,
            BufferSize = 64 * 1024,
        };

        private readonly CsvDataReader _csv;
        private readonly StreamReader _text;
        private long _row;

        private CsvTabularReader(CsvDataReader csv, StreamReader text, IReadOnlyList<string> names)
            : base(names)
        {
            _csv = csv;
            _text = text;
        }

        public override TabularFormat Format => TabularFormat.Csv;

        public static async Task<TabularReader> OpenAsync(Stream body, CancellationToken cancellationToken)
        {
            var text = new StreamReader(body, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024, leaveOpen: true);
            try
            {
                var csv = await CsvDataReader.CreateAsync(text, Options, cancellationToken);
                var names = Enumerable.Range(0, csv.FieldCount).Select(i => csv.GetName(i).Trim()).ToArray();
                if (names.Length == 0 || names.All(string.IsNullOrEmpty))
                {
                    throw new RequestFormatException("header", "The CSV body has no header row: the first line must name the columns.");
                }

                return new CsvTabularReader(csv, text, names);
            }
            catch (Exception error) when (error is CsvFormatException or InvalidDataException)
            {
                text.Dispose();
                throw new RequestFormatException("header", "The CSV header could not be read: " + error.Message, error);
            }
        }

        public override async ValueTask<bool> ReadBlockAsync(RowBlock block, IReadOnlyList<int> ordinals, CancellationToken cancellationToken)
        {
            block.FirstRow = _row;
            block.Count = 0;
            while (block.Count < RowBlock.Capacity && await ReadRowAsync(cancellationToken))
            {
                if (_csv.RowFieldCount != Names.Count)
                {
                    throw new RequestFormatException($"rows[{_row}]", $"Has {_csv.RowFieldCount} fields; the header has {Names.Count}.");
                }

                for (var c = 0; c < ordinals.Count; c++)
                {
                    block.Columns[c][block.Count] = ordinals[c] < 0 ? 1.0 : Parse(ordinals[c]);
                }

                block.Count++;
                _row++;
            }

            return block.Count > 0;
        }

        public override async ValueTask DisposeAsync()
        {
            await _csv.DisposeAsync();
            _text.Dispose();
        }

        private async Task<bool> ReadRowAsync(CancellationToken cancellationToken)
        {
            try
            {
                return await _csv.ReadAsync(cancellationToken);
            }
            catch (Exception error) when (error is CsvFormatException or CsvRecordTooLargeException or InvalidDataException)
            {
                throw new RequestFormatException($"rows[{_row}]", "The row could not be read as CSV: " + error.Message, error);
            }
        }

        /// <summary>A finite decimal number ("0.25", "-1e-3"); "NaN", "Infinity", empty fields and text are refused.</summary>
        private double Parse(int ordinal)
        {
            var field = _csv.GetFieldSpan(ordinal).Trim();
            if (NumberText.TryParseJsonNumber(field, out var value))
            {
                return value;
            }

            if (!double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out value) || !double.IsFinite(value))
            {
                throw new RequestFormatException(Key(_row, ordinal), field.IsEmpty ? "Is empty; a number is required." : "Is not a finite number.");
            }

            return value;
        }
    }

    private sealed class ArrowTabularReader : TabularReader
    {
        private readonly ArrowStreamReader _arrow;
        private RecordBatch? _batch;
        private int _position;
        private long _row;

        private ArrowTabularReader(ArrowStreamReader arrow, RecordBatch? first, IReadOnlyList<string> names)
            : base(names)
        {
            _arrow = arrow;
            _batch = first;
        }

        public override TabularFormat Format => TabularFormat.Arrow;

        public static async Task<TabularReader> OpenAsync(Stream body, CancellationToken cancellationToken)
        {
            var arrow = new ArrowStreamReader(body, PooledArrowAllocator.Instance, leaveOpen: true);
            try
            {
                var first = await arrow.ReadNextRecordBatchAsync(cancellationToken);
                var schema = first?.Schema ?? arrow.Schema;
                var names = schema.FieldsList.Select(f => f.Name).ToArray();
                foreach (var field in schema.FieldsList)
                {
                    if (!IsNumeric(field.DataType))
                    {
                        throw new RequestFormatException(field.Name, $"Has Arrow type {field.DataType.Name}; numeric columns (integer or floating point) are required.");
                    }
                }

                return new ArrowTabularReader(arrow, first, names);
            }
            catch (Exception error) when (IsUnreadable(error))
            {
                arrow.Dispose();
                throw new RequestFormatException("$", "The body is not a readable Arrow IPC stream.", error);
            }
            catch
            {
                arrow.Dispose();
                throw;
            }
        }

        public override async ValueTask<bool> ReadBlockAsync(RowBlock block, IReadOnlyList<int> ordinals, CancellationToken cancellationToken)
        {
            block.FirstRow = _row;
            block.Count = 0;
            while (block.Count < RowBlock.Capacity)
            {
                if (_batch is null || _position == _batch.Length)
                {
                    _batch?.Dispose();
                    _batch = await NextBatchAsync(cancellationToken);
                    _position = 0;
                    if (_batch is null)
                    {
                        break;
                    }

                    continue;
                }

                var take = Math.Min(RowBlock.Capacity - block.Count, _batch.Length - _position);
                try
                {
                    for (var c = 0; c < ordinals.Count; c++)
                    {
                        var destination = block.Columns[c].AsSpan(block.Count, take);
                        if (ordinals[c] < 0)
                        {
                            destination.Fill(1.0);
                        }
                        else
                        {
                            Copy(_batch.Column(ordinals[c]), _position, destination, ordinals[c]);
                        }
                    }
                }
                catch (Exception error) when (IsUnreadable(error))
                {
                    throw new RequestFormatException($"$[{_row}]", $"The Arrow record batch holding row {_row} is corrupt: its buffers are shorter than its length says.", error);
                }

                block.Count += take;
                _position += take;
                _row += take;
            }

            return block.Count > 0;
        }

        public override ValueTask DisposeAsync()
        {
            _batch?.Dispose();
            _arrow.Dispose();
            return ValueTask.CompletedTask;
        }

        private async Task<RecordBatch?> NextBatchAsync(CancellationToken cancellationToken)
        {
            RecordBatch? batch;
            try
            {
                batch = await _arrow.ReadNextRecordBatchAsync(cancellationToken);
            }
            catch (Exception error) when (IsUnreadable(error))
            {
                throw new RequestFormatException($"$[{_row}]", $"The Arrow stream breaks off or is corrupt after row {_row}.", error);
            }

            if (batch is not null && (batch.ColumnCount != Names.Count || batch.Arrays.Any(a => a.Length != batch.Length || !IsNumeric(a.Data.DataType))))
            {
                batch.Dispose();
                throw new RequestFormatException($"$[{_row}]", $"The Arrow record batch after row {_row} does not match the stream's schema.");
            }

            return batch;
        }

        private void Copy(IArrowArray column, int offset, Span<double> destination, int ordinal)
        {
            if (column.NullCount > 0)
            {
                for (var i = 0; i < destination.Length; i++)
                {
                    if (column.IsNull(offset + i))
                    {
                        throw new RequestFormatException(Key(_row + i, ordinal), "Is null; a number is required.");
                    }
                }
            }

            // Whole slices, widened to double by TensorPrimitives (vectorised where the pair allows), not value by value.
            switch (column)
            {
                case DoubleArray a: Widen(a.Values, offset, destination); break;
                case FloatArray a: Widen(a.Values, offset, destination); break;
                case HalfFloatArray a: Widen(a.Values, offset, destination); break;
                case Int8Array a: Widen(a.Values, offset, destination); break;
                case Int16Array a: Widen(a.Values, offset, destination); break;
                case Int32Array a: Widen(a.Values, offset, destination); break;
                case Int64Array a: Widen(a.Values, offset, destination); break;
                case UInt8Array a: Widen(a.Values, offset, destination); break;
                case UInt16Array a: Widen(a.Values, offset, destination); break;
                case UInt32Array a: Widen(a.Values, offset, destination); break;
                case UInt64Array a: Widen(a.Values, offset, destination); break;
                default: throw new RequestFormatException("$", $"Unsupported Arrow column type {column.Data.DataType.Name}.");
            }
        }

        private static void Widen<T>(ReadOnlySpan<T> values, int offset, Span<double> destination)
            where T : System.Numerics.INumberBase<T> =>
            System.Numerics.Tensors.TensorPrimitives.ConvertChecked(values.Slice(offset, destination.Length), destination);

        private static bool IsNumeric(Apache.Arrow.Types.IArrowType type) => type.TypeId is
            Apache.Arrow.Types.ArrowTypeId.Double or Apache.Arrow.Types.ArrowTypeId.Float or Apache.Arrow.Types.ArrowTypeId.HalfFloat
            or Apache.Arrow.Types.ArrowTypeId.Int8 or Apache.Arrow.Types.ArrowTypeId.Int16 or Apache.Arrow.Types.ArrowTypeId.Int32 or Apache.Arrow.Types.ArrowTypeId.Int64
            or Apache.Arrow.Types.ArrowTypeId.UInt8 or Apache.Arrow.Types.ArrowTypeId.UInt16 or Apache.Arrow.Types.ArrowTypeId.UInt32 or Apache.Arrow.Types.ArrowTypeId.UInt64;

        /// <summary>
        /// What Apache.Arrow throws for a truncated or corrupt stream. Its flatbuffer accessors do not validate, so
        /// corrupt metadata can also surface as a null reference; <see cref="ArrowFramingGuard"/> has already refused
        /// any message whose declared sizes could exhaust memory.
        /// </summary>
        private static bool IsUnreadable(Exception error) => error is InvalidDataException or EndOfStreamException
            or ArgumentException or InvalidOperationException or IndexOutOfRangeException or OverflowException or NullReferenceException;
    }
}
