using System.Text.Json;
using BenchmarkDotNet.Attributes;
using LogLossApi.Merge;
using LogLossApi.Scoring;
using LogLossApi.Wire.Input.Json;

namespace LogLossApi.Benchmarks;

/// <summary>
/// The stages of a POST /v1/log-loss/merge of 10,000 binary states or 1,000 calibration states (default 10,000
/// buckets), each of a piece of 1,000 random rows: reading the body, checking every state, and merging them through
/// the library; and the floors of reading it (the reader's tokens alone, and with every number parsed).
/// </summary>
[MemoryDiagnoser]
public class MergeBenchmarks
{
    private byte[] _body = null!;
    private MergeRequest _request = null!;
    private readonly MergeRequestValidator _validator = new();

    [Params("binary", "calibration")]
    public string Kind { get; set; } = "binary";

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(15);
        var count = Kind == "binary" ? 10_000 : 1_000;
        var states = new LogLossState[count];
        for (var i = 0; i < count; i++)
        {
            var labels = Enumerable.Range(0, 1000).Select(_ => (double)random.Next(2)).ToArray();
            var probabilities = Enumerable.Range(0, 1000).Select(_ => random.NextDouble()).ToArray();
            if (Kind == "binary")
            {
                var accumulator = new BinaryLogLossAccumulator(BinaryLossOptions.Default, PredictionKind.Probabilities, weighted: false);
                accumulator.Add(labels, probabilities, default, default);
                states[i] = accumulator.ToState();
            }
            else
            {
                var input = new BinaryInput(labels, probabilities, PredictionKind.Probabilities, default, BinaryLossOptions.Default);
                states[i] = CalibrationDecomposition.EvaluateWithHistogram(input, 10, CalibrationHistogram.DefaultBuckets).Histogram.ToState();
            }
        }

        _request = new MergeRequest(states, null);
        _body = JsonSerializer.SerializeToUtf8Bytes(_request, MergeJsonContext.Default.MergeRequest);
    }

    [Benchmark(Description = "read the body (JsonBody)")]
    public int Read() => JsonBody.Deserialize(new System.Buffers.ReadOnlySequence<byte>(_body), MergeJsonContext.Default.MergeRequest)!.States!.Length;

    /// <summary>The floor of any JSON reading of the body: the reader's tokens, nothing made of them.</summary>
    [Benchmark(Description = "tokenize only")]
    public int Tokenize()
    {
        var reader = new Utf8JsonReader(_body);
        var n = 0;
        while (reader.Read())
        {
            n++;
        }

        return n;
    }

    /// <summary>The tokens and the reader's own number parsing, into nothing.</summary>
    [Benchmark(Description = "tokenize and parse every number")]
    public double TokenizeParse()
    {
        var reader = new Utf8JsonReader(_body);
        var sum = 0.0;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.Number)
            {
                sum += reader.GetDouble();
            }
        }

        return sum;
    }

    [Benchmark(Description = "check every state")]
    public bool Validate() => _validator.Validate(_request).IsValid;

    [Benchmark(Description = "merge through the library")]
    public double Merge()
    {
        var states = _request.States!;
        if (Kind != "binary")
        {
            return CalibrationHistogram.Merge([.. states.Select(s => CalibrationHistogram.FromState((CalibrationState)s!, LossUnit.Nats))]).ToReport(10).MeanLoss;
        }

        var merged = BinaryLogLossAccumulator.FromState((BinaryLogLossState)states[0]!, LossUnit.Nats);
        for (var i = 1; i < states.Length; i++)
        {
            merged.Merge(BinaryLogLossAccumulator.FromState((BinaryLogLossState)states[i]!, LossUnit.Nats));
        }

        return merged.ToReport().MeanLoss;
    }
}
