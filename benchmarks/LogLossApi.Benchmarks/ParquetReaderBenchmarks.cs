using BenchmarkDotNet.Attributes;

namespace LogLossApi.Benchmarks;

/// <summary>
/// The choice of Parquet reader (issue 16): the 1M-row file of <see cref="Bodies.Parquet"/> (Snappy, 65,536-row groups)
/// read column by column into one reused buffer of doubles per row group, by ParquetSharp 25.0.1.2 (Apache Parquet C++)
/// and by Parquet.Net 6.1.0 (managed), each at its fastest documented call. Managed allocation only: ParquetSharp's
/// native buffers are not counted here (the process's peak RSS is, in docs/benchmarks.md).
/// </summary>
[MemoryDiagnoser]
public class ParquetReaderBenchmarks
{
    private byte[] _file = [];
    private readonly double[] _buffer = new double[65_536];

    [GlobalSetup]
    public void Setup() => _file = Bodies.Of(1_000_000).Parquet;

    [Benchmark(Baseline = true)]
    public double ParquetSharp()
    {
        using var reader = new ParquetSharp.ParquetFileReader(new ParquetSharp.IO.ManagedRandomAccessFile(new MemoryStream(_file), leaveOpen: false));
        var sum = 0.0;
        for (var g = 0; g < reader.FileMetaData.NumRowGroups; g++)
        {
            using var group = reader.RowGroup(g);
            var rows = (int)group.MetaData.NumRows;
            for (var c = 0; c < 2; c++)
            {
                using var column = (ParquetSharp.ColumnReader<double>)group.Column(c);
                column.ReadBatch(rows, _buffer.AsSpan(0, rows), out _);
                sum += _buffer[rows - 1];
            }
        }

        return sum;
    }

    [Benchmark]
    public async Task<double> ParquetNet()
    {
        await using var reader = await Parquet.ParquetReader.CreateAsync(new MemoryStream(_file));
        var fields = reader.Schema.GetDataFields();
        var sum = 0.0;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var rows = (int)group.RowCount;
            foreach (var field in fields)
            {
                await group.ReadAsync<double>(field, _buffer.AsMemory(0, rows));
                sum += _buffer[rows - 1];
            }
        }

        return sum;
    }
}
