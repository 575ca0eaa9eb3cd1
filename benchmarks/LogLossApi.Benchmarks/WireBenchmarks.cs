using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using LogLossApi.BinaryLogLoss;
using LogLossApi.Scoring;
using LogLossApi.Wire.Columns;
using LogLossApi.Wire.Input.Json;
using LogLossApi.Wire.Input.Tabular;

namespace LogLossApi.Benchmarks;

/// <summary>
/// The cost of each stage of a 1,000,000-sample /v1/log-loss request, on the same bytes the load comparison sends:
/// the JSON parse and write floors (a hand Utf8JsonReader loop into preallocated arrays, a bare Utf8JsonWriter),
/// the service's own parse and write (the same serializer path the endpoint takes), the loss arithmetic, and
/// reading the same rows from an Arrow stream and from CSV.
/// </summary>
[MemoryDiagnoser]
public class WireBenchmarks
{
    private readonly ArrayBufferWriter<byte> _output = new(64 * 1024 * 1024);
    private Bodies _bodies = null!;
    private double[] _labels = null!;
    private double[] _probabilities = null!;
    private double[] _losses = null!;
    private BinaryLogLossResponse _response = null!;

    [Params(1_000_000)]
    public int Samples { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _bodies = Bodies.Of(Samples);
        _labels = new double[Samples];
        _probabilities = new double[Samples];
        _losses = new double[Samples];
        var report = BinaryCrossEntropy.Evaluate(new BinaryInput(_bodies.Labels, _bodies.Probabilities, PredictionKind.Probabilities, default, BinaryLossOptions.Default), _losses);
        _response = BinaryLogLossResponse.From(report, NumberColumn.Of(_losses));
    }

    [Benchmark(Description = "JSON parse floor (Utf8JsonReader loop)")]
    public int ParseFloor() => JsonFloor.Parse(_bodies.Json, _labels, _probabilities);

    [Benchmark(Description = "JSON parse, service (JsonBody: long arrays on every core)")]
    public int ParseService()
    {
        using var request = JsonBody.Deserialize(new System.Buffers.ReadOnlySequence<byte>(_bodies.Json), BinaryLogLossJsonContext.Default.BinaryLogLossRequest)!;
        return request.SampleCount;
    }

    [Benchmark(Description = "JSON write floor (Utf8JsonWriter, losses only)")]
    public int WriteFloor() => JsonFloor.Write(_output, _losses);

    [Benchmark(Description = "JSON write, service (whole response)")]
    public int WriteService()
    {
        _output.ResetWrittenCount();
        using var writer = new Utf8JsonWriter(_output);
        JsonSerializer.Serialize(writer, _response, BinaryLogLossJsonContext.Default.BinaryLogLossResponse);
        return _output.WrittenCount;
    }

    [Benchmark(Description = "Loss arithmetic with per-sample losses")]
    public double Score() =>
        BinaryCrossEntropy.Evaluate(new BinaryInput(_bodies.Labels, _bodies.Probabilities, PredictionKind.Probabilities, default, BinaryLossOptions.Default), _losses).MeanLoss;

    [Benchmark(Description = "Arrow read (TabularReader)")]
    public Task<long> ReadArrow() => ReadRows(TabularFormat.Arrow, _bodies.Arrow);

    [Benchmark(Description = "CSV read (TabularReader)")]
    public Task<long> ReadCsv() => ReadRows(TabularFormat.Csv, _bodies.Csv);

    private static async Task<long> ReadRows(TabularFormat format, byte[] body)
    {
        using var stream = new MemoryStream(body, writable: false);
        await using var reader = await TabularReader.OpenAsync(format, stream, body.Length, CancellationToken.None);
        using var block = new RowBlock(2);
        int[] ordinals = [0, 1];
        long rows = 0;
        while (await reader.ReadBlockAsync(block, ordinals, CancellationToken.None))
        {
            rows += block.Count;
        }

        return rows;
    }
}
