using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using LogLossApi.Scoring;
using LogLossApi.Wire.Columns;
using LogLossApi.Wire.Input.Tabular;

namespace LogLossApi.BinaryLogLoss;

/// <summary>
/// The per-sample losses as an Arrow IPC stream (<c>application/vnd.apache.arrow.stream</c>), for a request whose
/// <c>Accept</c> prefers it: columns <c>index</c> (int64), <c>label</c>, <c>probability</c> or <c>logit</c>, and
/// <c>loss</c> (float64; null where the loss is not a finite double, as JSON writes it), in record batches of
/// <see cref="BatchRows"/> rows. The schema's metadata <see cref="ReportKey"/> holds the JSON answer without its
/// losses (the state too, when asked for), so one response carries both.
/// </summary>
public sealed class ArrowLosses(BinaryColumns rows, NumberColumn losses, BinaryLogLossResponse report) : IResult, IStatusCodeHttpResult
{
    /// <summary>Rows per record batch.</summary>
    public const int BatchRows = 64 * 1024;

    /// <summary>The schema metadata key of the JSON report.</summary>
    public const string ReportKey = "loglossapi.report";

    public int? StatusCode => StatusCodes.Status200OK;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = TabularReader.ArrowMediaType;

        var prediction = rows.Kind == PredictionKind.Logits ? "logit" : "probability";
        var schema = new Schema.Builder()
            .Field(f => f.Name("index").DataType(Int64Type.Default).Nullable(false))
            .Field(f => f.Name("label").DataType(DoubleType.Default).Nullable(false))
            .Field(f => f.Name(prediction).DataType(DoubleType.Default).Nullable(false))
            .Field(f => f.Name("loss").DataType(DoubleType.Default).Nullable(true))
            .Metadata(ReportKey, JsonSerializer.Serialize(report, BinaryLogLossJsonContext.Default.BinaryLogLossResponse))
            .Build();

        using var writer = new ArrowStreamWriter(response.Body, schema, leaveOpen: true);
        await writer.WriteStartAsync(httpContext.RequestAborted);
        var rented = new List<byte[]>();
        try
        {
            for (var start = 0; start < losses.Length; start += BatchRows)
            {
                using var batch = Batch(schema, start, Math.Min(BatchRows, losses.Length - start), rented);
                await writer.WriteRecordBatchAsync(batch, httpContext.RequestAborted);
                foreach (var array in rented)
                {
                    ArrayPool<byte>.Shared.Return(array);
                }

                rented.Clear();
            }
        }
        finally
        {
            rented.ForEach(array => ArrayPool<byte>.Shared.Return(array));
        }

        await writer.WriteEndAsync(httpContext.RequestAborted);
    }

    /// <summary>Rows [start, start + count) as a record batch over arrays from the pool, listed in <paramref name="rented"/>.</summary>
    private RecordBatch Batch(Schema schema, int start, int count, List<byte[]> rented)
    {
        Span<T> Rent<T>(out ArrowBuffer buffer)
            where T : unmanaged
        {
            var bytes = count * Marshal.SizeOf<T>();
            var array = ArrayPool<byte>.Shared.Rent(bytes);
            rented.Add(array);
            buffer = new ArrowBuffer(array.AsMemory(0, bytes));
            return MemoryMarshal.Cast<byte, T>(array.AsSpan(0, bytes));
        }

        var index = Rent<long>(out var indexBuffer);
        for (var i = 0; i < count; i++)
        {
            index[i] = start + i;
        }

        rows.Labels.Span.Slice(start, count).CopyTo(Rent<double>(out var labelBuffer));
        rows.Predictions.Span.Slice(start, count).CopyTo(Rent<double>(out var predictionBuffer));

        // −0 is written 0, as in JSON; a loss that is not a finite double is null (its slot holds 0).
        var loss = losses.Span.Slice(start, count);
        var written = Rent<double>(out var lossBuffer);
        var nulls = 0;
        for (var i = 0; i < count; i++)
        {
            var finite = double.IsFinite(loss[i]);
            written[i] = finite ? loss[i] + 0.0 : 0;
            nulls += finite ? 0 : 1;
        }

        var validity = ArrowBuffer.Empty;
        if (nulls > 0)
        {
            var bits = ArrayPool<byte>.Shared.Rent((count + 7) / 8);
            rented.Add(bits);
            bits.AsSpan(0, (count + 7) / 8).Clear();
            for (var i = 0; i < count; i++)
            {
                bits[i >> 3] |= double.IsFinite(loss[i]) ? (byte)(1 << (i & 7)) : (byte)0;
            }

            validity = new ArrowBuffer(bits.AsMemory(0, (count + 7) / 8));
        }

        return new RecordBatch(schema,
        [
            new Int64Array(indexBuffer, ArrowBuffer.Empty, count, 0, 0),
            new DoubleArray(labelBuffer, ArrowBuffer.Empty, count, 0, 0),
            new DoubleArray(predictionBuffer, ArrowBuffer.Empty, count, 0, 0),
            new DoubleArray(lossBuffer, validity, count, nulls, 0),
        ], count);
    }
}
