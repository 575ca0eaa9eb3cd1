using System.Globalization;
using System.IO.Pipelines;
using LogLossApi.Scoring;
using LogLossApi.Wire.Columns;

namespace LogLossApi.BinaryLogLoss;

/// <summary>
/// The per-sample losses as <c>text/csv</c> (<c>index,label,probability,loss</c>, or <c>logit</c> for logits), for a
/// request whose <c>Accept</c> prefers CSV (<see cref="LossesAnswer"/>). Rows are formatted straight into the response pipe
/// (shortest round-trip numbers) and flushed every 64 KiB, so the body streams out however many rows there are.
/// </summary>
public sealed class CsvLosses(BinaryColumns rows, NumberColumn losses) : IResult, IStatusCodeHttpResult
{
    private const int FlushBytes = 64 * 1024;
    private const int MaxRowBytes = 4 * 32;

    public int? StatusCode => StatusCodes.Status200OK;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/csv; charset=utf-8";
        var writer = response.BodyWriter;
        var logits = rows.Kind == PredictionKind.Logits;
        Write(writer, logits ? "index,label,logit,loss\n"u8 : "index,label,probability,loss\n"u8);

        var (labels, predictions) = (rows.Labels, rows.Predictions);
        var pending = 0;
        for (var i = 0; i < losses.Length; i++)
        {
            pending += WriteRow(writer, i, labels.Span[i], predictions.Span[i], losses.Span[i]);
            if (pending >= FlushBytes)
            {
                pending = 0;
                var flushed = await writer.FlushAsync(httpContext.RequestAborted);
                if (flushed.IsCanceled || flushed.IsCompleted)
                {
                    return;
                }
            }
        }

        await writer.FlushAsync(httpContext.RequestAborted);
    }

    private static int WriteRow(PipeWriter writer, int index, double label, double prediction, double loss)
    {
        var span = writer.GetSpan(MaxRowBytes);
        var length = 0;
        length += Format(index, span[length..]);
        span[length++] = (byte)',';
        length += Format(label + 0.0, span[length..]);
        span[length++] = (byte)',';
        length += Format(prediction + 0.0, span[length..]);
        span[length++] = (byte)',';
        // A loss beyond the double range is an empty field (JSON's null); −0 is written 0.
        length += double.IsFinite(loss) ? Format(loss + 0.0, span[length..]) : 0;
        span[length++] = (byte)'\n';
        writer.Advance(length);
        return length;
    }

    private static int Format<T>(T value, Span<byte> destination)
        where T : IUtf8SpanFormattable =>
        value.TryFormat(destination, out var written, default, CultureInfo.InvariantCulture)
            ? written
            : throw new InvalidOperationException("A number did not fit its row buffer.");

    private static void Write(PipeWriter writer, ReadOnlySpan<byte> text)
    {
        text.CopyTo(writer.GetSpan(text.Length));
        writer.Advance(text.Length);
    }
}
