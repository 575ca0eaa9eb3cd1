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

        // One set of buffers, a batch long, rented for the whole answer and refilled batch by batch: a batch is written
        // before the next is filled.
        var capacity = Math.Min(BatchRows, losses.Length);
        var (index, labels, predictions, loss, validity) = (Rent(capacity * sizeof(long)), Rent(capacity * sizeof(double)), Rent(capacity * sizeof(double)), Rent(capacity * sizeof(double)), Rent((capacity + 7) / 8));
        try
        {
            for (var start = 0; start < losses.Length; start += BatchRows)
            {
                var count = Math.Min(BatchRows, losses.Length - start);
                using var batch = Batch(schema, start, count, index, labels, predictions, loss, validity);
                await writer.WriteRecordBatchAsync(batch, httpContext.RequestAborted);
            }
        }
        finally
        {
            foreach (var array in new[] { index, labels, predictions, loss, validity })
            {
                ArrayPool<byte>.Shared.Return(array);
            }
        }

        await writer.WriteEndAsync(httpContext.RequestAborted);
    }

    private static byte[] Rent(int bytes) => ArrayPool<byte>.Shared.Rent(Math.Max(bytes, 1));

    /// <summary>Rows [start, start + count) as a record batch over the given buffers.</summary>
    private RecordBatch Batch(Schema schema, int start, int count, byte[] index, byte[] labels, byte[] predictions, byte[] loss, byte[] validity)
    {
        var indices = MemoryMarshal.Cast<byte, long>(index.AsSpan(0, count * sizeof(long)));
        for (var i = 0; i < count; i++)
        {
            indices[i] = start + i;
        }

        rows.Labels.Span.Slice(start, count).CopyTo(MemoryMarshal.Cast<byte, double>(labels.AsSpan(0, count * sizeof(double))));
        rows.Predictions.Span.Slice(start, count).CopyTo(MemoryMarshal.Cast<byte, double>(predictions.AsSpan(0, count * sizeof(double))));

        // −0 is written 0, as in JSON; a loss that is not a finite double is null (its slot holds 0).
        var source = losses.Span.Slice(start, count);
        var written = MemoryMarshal.Cast<byte, double>(loss.AsSpan(0, count * sizeof(double)));
        var bits = validity.AsSpan(0, (count + 7) / 8);
        bits.Clear();
        var nulls = 0;
        for (var i = 0; i < count; i++)
        {
            var finite = double.IsFinite(source[i]);
            written[i] = finite ? source[i] + 0.0 : 0;
            bits[i >> 3] |= finite ? (byte)(1 << (i & 7)) : (byte)0;
            nulls += finite ? 0 : 1;
        }

        return new RecordBatch(schema,
        [
            new Int64Array(new ArrowBuffer(index.AsMemory(0, count * sizeof(long))), ArrowBuffer.Empty, count, 0, 0),
            new DoubleArray(new ArrowBuffer(labels.AsMemory(0, count * sizeof(double))), ArrowBuffer.Empty, count, 0, 0),
            new DoubleArray(new ArrowBuffer(predictions.AsMemory(0, count * sizeof(double))), ArrowBuffer.Empty, count, 0, 0),
            new DoubleArray(new ArrowBuffer(loss.AsMemory(0, count * sizeof(double))), nulls > 0 ? new ArrowBuffer(validity.AsMemory(0, bits.Length)) : ArrowBuffer.Empty, count, nulls, 0),
        ], count);
    }
}
