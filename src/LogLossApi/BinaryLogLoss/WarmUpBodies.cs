using System.Globalization;
using System.Text;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using LogLossApi.Hosting;
using LogLossApi.Wire.Columns;
using LogLossApi.Wire.Input.Tabular;

namespace LogLossApi.BinaryLogLoss;

/// <summary>
/// Bodies of binary rows for the start-up warm-up (<see cref="WarmUp"/>): the seed's ten points repeated to any
/// length, as JSON, CSV, Arrow and Parquet. One JSON body is long enough for the paths only long arrays take (parsed on other
/// cores, written on every core).
/// </summary>
internal static class WarmUpBodies
{
    /// <summary>Samples of the long body: above <see cref="ParallelFormatter.MinLength"/>.</summary>
    public const int Long = ParallelFormatter.MinLength + 1024;

    /// <summary>Samples of every other body: a few blocks of rows.</summary>
    public const int Short = 300;

    public static double[] Labels(int n) => [.. Enumerable.Range(0, n).Select(i => SeedExample.Labels[i % 10])];

    public static double[] Probabilities(int n) => [.. Enumerable.Range(0, n).Select(i => SeedExample.Probabilities[i % 10])];

    /// <summary>A JSON body with the columns given, and <paramref name="rest"/> (further properties, comma-led) after them.</summary>
    public static byte[] Json(int n, string rest = "") =>
        Encoding.UTF8.GetBytes($$"""{"labels":{{Array(Labels(n))}},"probabilities":{{Array(Probabilities(n))}}{{rest}}}""");

    public static string Array(IEnumerable<double> values) => "[" + string.Join(',', values.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "]";

    public static byte[] Csv(int n)
    {
        var text = new StringBuilder("label,probability,weight\n");
        var (labels, probabilities) = (Labels(n), Probabilities(n));
        for (var i = 0; i < n; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{labels[i]},{probabilities[i]:R},1\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    public static byte[] Arrow(int n)
    {
        using var batch = new RecordBatch.Builder()
            .Append("label", false, column => column.Double(b => b.AppendRange(Labels(n))))
            .Append("probability", false, column => column.Double(b => b.AppendRange(Probabilities(n))))
            .Build();
        using var stream = new MemoryStream();
        using (var writer = new ArrowStreamWriter(stream, batch.Schema, leaveOpen: true))
        {
            writer.WriteRecordBatch(batch);
            writer.WriteEnd();
        }

        return stream.ToArray();
    }

    /// <summary>A Parquet file of the two columns, in two row groups.</summary>
    public static byte[] Parquet(int n) => Parquet(Labels(n), Probabilities(n), (n + 1) / 2, ParquetSharp.Compression.Uncompressed);

    /// <summary>
    /// A Parquet file (ParquetSharp) of float64 columns <c>label</c> and <c>probability</c> in row groups of
    /// <paramref name="groupRows"/> rows; the benchmarks' and tests' files too.
    /// </summary>
    public static byte[] Parquet(double[] labels, double[] probabilities, int groupRows, ParquetSharp.Compression compression)
    {
        using var stream = new MemoryStream();
        using (var output = new ParquetSharp.IO.ManagedOutputStream(stream, leaveOpen: true))
        using (var writer = new ParquetSharp.ParquetFileWriter(output, [new ParquetSharp.Column<double>("label"), new ParquetSharp.Column<double>("probability")], compression))
        {
            for (var start = 0; start < labels.Length; start += groupRows)
            {
                var count = Math.Min(groupRows, labels.Length - start);
                using var group = writer.AppendRowGroup();
                using (var column = group.NextColumn().LogicalWriter<double>())
                {
                    column.WriteBatch(labels.AsSpan(start, count));
                }

                using (var column = group.NextColumn().LogicalWriter<double>())
                {
                    column.WriteBatch(probabilities.AsSpan(start, count));
                }
            }

            writer.Close();
        }

        return stream.ToArray();
    }

    /// <summary>
    /// JSON bodies (with and without <paramref name="options"/>, a JSON object), CSV and Arrow bodies (with and without
    /// <paramref name="query"/>), a Parquet body, and CSV and Arrow answers when <paramref name="losses"/>: every path of
    /// a binary endpoint.
    /// </summary>
    public static WarmUpRequest[] EveryBody(string options, string query, bool losses) =>
    [
        new("application/json", Json(Short)),
        new("application/json", Json(Short, ",\"options\":" + options)),
        new(TabularReader.CsvMediaType, Csv(Short), query),
        new(TabularReader.CsvMediaType, Csv(Short)),
        new(TabularReader.ArrowMediaType, Arrow(Short), query),
        new(TabularReader.ArrowMediaType, Arrow(Short)),
        new(TabularReader.ParquetMediaType, Parquet(Short), query),
        .. losses
            ? [new WarmUpRequest("application/json", Json(Short), Accept: TabularReader.CsvMediaType), new WarmUpRequest("application/json", Json(Short), Accept: TabularReader.ArrowMediaType)]
            : (WarmUpRequest[])[],
    ];
}
