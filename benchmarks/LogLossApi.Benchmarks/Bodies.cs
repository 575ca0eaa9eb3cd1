using System.Globalization;
using System.Text;
using Apache.Arrow;
using Apache.Arrow.Ipc;

namespace LogLossApi.Benchmarks;

/// <summary>
/// The request bodies every benchmark and the load comparison use: N samples of labels and probabilities with 17
/// significant digits (what numpy's json output and most clients send), as JSON, CSV and an Arrow IPC stream.
/// </summary>
public sealed class Bodies
{
    private Bodies(int samples)
    {
        var random = new Random(20261124);
        Labels = new double[samples];
        Probabilities = new double[samples];
        for (var i = 0; i < samples; i++)
        {
            Labels[i] = random.Next(2);
            Probabilities[i] = Math.Clamp(random.NextDouble(), 1e-6, 1 - 1e-6);
        }

    }

    public double[] Labels { get; }

    public double[] Probabilities { get; }

    public byte[] Json => field ??= Encoding.UTF8.GetBytes(JsonText(includeLosses: true));

    public byte[] JsonWithoutLosses => field ??= Encoding.UTF8.GetBytes(JsonText(includeLosses: false));

    public byte[] Csv => field ??= Encoding.UTF8.GetBytes(CsvText());

    /// <summary>Labels as float64, as numpy's float arrays arrive: 16 bytes a sample, one record batch.</summary>
    public byte[] Arrow => field ??= ArrowStream(int.MaxValue, (c, from, to) => c.Double(b => b.AppendRange(Labels[from..to])));

    /// <summary>The same labels as int8, the smallest exact type for 0/1: 9 bytes a sample, one record batch.</summary>
    public byte[] ArrowInt8Labels => field ??= ArrowStream(int.MaxValue, Int8Labels);

    /// <summary>Int8 labels in record batches of 65,536 rows, as a client streams a long table.</summary>
    public byte[] ArrowInt8LabelsBatched => field ??= ArrowStream(65_536, Int8Labels);

    /// <summary>
    /// The same float64 columns as a Parquet file as pandas writes one by default (Snappy, dictionary encoding where it
    /// pays), in row groups of 65,536 rows, written by ParquetSharp.
    /// </summary>
    public byte[] Parquet => field ??= LogLossApi.BinaryLogLoss.WarmUpBodies.Parquet(Labels, Probabilities, 65_536, ParquetSharp.Compression.Snappy);

    /// <summary>The sample counts of the scaling table: 10³ to 10⁷.</summary>
    public static int[] ScalingSizes { get; } = [1_000, 10_000, 100_000, 1_000_000, 10_000_000];

    public static Bodies Of(int samples) => new(samples);

    /// <summary>Writes small.json (100), million.json, million-nolosses.json, million.csv, million.arrow, million-int8.arrow, million-int8-batched.arrow and million.parquet into <paramref name="folder"/>.</summary>
    public static void WriteTo(string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "small.json"), Of(100).Json);
        var million = Of(1_000_000);
        File.WriteAllBytes(Path.Combine(folder, "million.json"), million.Json);
        File.WriteAllBytes(Path.Combine(folder, "million-nolosses.json"), million.JsonWithoutLosses);
        File.WriteAllBytes(Path.Combine(folder, "million.csv"), million.Csv);
        File.WriteAllBytes(Path.Combine(folder, "million.arrow"), million.Arrow);
        File.WriteAllBytes(Path.Combine(folder, "million-int8.arrow"), million.ArrowInt8Labels);
        File.WriteAllBytes(Path.Combine(folder, "million-int8-batched.arrow"), million.ArrowInt8LabelsBatched);
        File.WriteAllBytes(Path.Combine(folder, "million.parquet"), million.Parquet);
    }

    /// <summary>Writes json-N.json (with losses) and csv-N.csv for every N of <see cref="ScalingSizes"/> into <paramref name="folder"/>.</summary>
    public static void WriteScalingTo(string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (var n in ScalingSizes)
        {
            var bodies = Of(n);
            File.WriteAllBytes(Path.Combine(folder, $"json-{n}.json"), bodies.Json);
            File.WriteAllBytes(Path.Combine(folder, $"csv-{n}.csv"), bodies.Csv);
        }
    }

    private string JsonText(bool includeLosses)
    {
        var text = new StringBuilder("{\"labels\":[");
        text.AppendJoin(',', Labels.Select(l => l.ToString("R", CultureInfo.InvariantCulture)));
        text.Append("],\"probabilities\":[");
        text.AppendJoin(',', Probabilities.Select(p => p.ToString("R", CultureInfo.InvariantCulture)));
        text.Append(']');
        if (!includeLosses)
        {
            text.Append(",\"options\":{\"includeLosses\":false}");
        }

        return text.Append('}').ToString();
    }

    private string CsvText()
    {
        var text = new StringBuilder("label,probability\n");
        for (var i = 0; i < Labels.Length; i++)
        {
            text.Append(Labels[i].ToString("R", CultureInfo.InvariantCulture)).Append(',')
                .Append(Probabilities[i].ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }

        return text.ToString();
    }

    private IArrowArray Int8Labels(RecordBatch.ArrayBuilder column, int from, int to) =>
        column.Int8(b => b.AppendRange(Labels[from..to].Select(l => (sbyte)l)));

    /// <summary>An Arrow IPC stream of label and probability, in record batches of at most <paramref name="batchRows"/> rows.</summary>
    private byte[] ArrowStream(int batchRows, Func<RecordBatch.ArrayBuilder, int, int, IArrowArray> labels)
    {
        using var stream = new MemoryStream();
        ArrowStreamWriter? writer = null;
        for (var from = 0; from < Labels.Length; from += batchRows)
        {
            var to = (int)Math.Min((long)from + batchRows, Labels.Length);
            using var batch = new RecordBatch.Builder()
                .Append("label", false, c => labels(c, from, to))
                .Append("probability", false, c => c.Double(b => b.AppendRange(Probabilities[from..to])))
                .Build();
            writer ??= new ArrowStreamWriter(stream, batch.Schema, leaveOpen: true);
            writer.WriteRecordBatch(batch);
        }

        writer!.WriteEnd();
        writer.Dispose();
        return stream.ToArray();
    }
}
