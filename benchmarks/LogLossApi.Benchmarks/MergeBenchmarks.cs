using System.Text.Json;
using BenchmarkDotNet.Attributes;
using LogLossApi.Merge;
using LogLossApi.Scoring;
using LogLossApi.Wire.Input.Json;

namespace LogLossApi.Benchmarks;

/// <summary>
/// The stages of a POST /v1/log-loss/merge of <see cref="States"/> binary states (pieces of 1,000 random rows each):
/// reading the body, checking every state, and merging them through the library.
/// </summary>
[MemoryDiagnoser]
public class MergeBenchmarks
{
    private byte[] _body = null!;
    private MergeRequest _request = null!;
    private readonly MergeRequestValidator _validator = new();

    [Params(10_000)]
    public int States { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(15);
        var states = new BinaryLogLossState[States];
        for (var i = 0; i < States; i++)
        {
            var accumulator = new BinaryLogLossAccumulator(BinaryLossOptions.Default, PredictionKind.Probabilities, weighted: false);
            var labels = Enumerable.Range(0, 1000).Select(_ => (double)random.Next(2)).ToArray();
            var probabilities = Enumerable.Range(0, 1000).Select(_ => random.NextDouble()).ToArray();
            accumulator.Add(labels, probabilities, default, default);
            states[i] = accumulator.ToState();
        }

        _request = new MergeRequest(states, null);
        _body = JsonSerializer.SerializeToUtf8Bytes(_request, MergeJsonContext.Default.MergeRequest);
    }

    [Benchmark(Description = "read the body (JsonBody)")]
    public int Read() => JsonBody.Deserialize(new System.Buffers.ReadOnlySequence<byte>(_body), MergeJsonContext.Default.MergeRequest)!.States!.Length;

    [Benchmark(Description = "check every state")]
    public bool Validate() => _validator.Validate(_request).IsValid;

    [Benchmark(Description = "merge through the library")]
    public double Merge()
    {
        var merged = BinaryLogLossAccumulator.FromState(_request.States![0], LossUnit.Nats);
        for (var i = 1; i < _request.States.Length; i++)
        {
            merged.Merge(BinaryLogLossAccumulator.FromState(_request.States[i], LossUnit.Nats));
        }

        return merged.ToReport().MeanLoss;
    }
}
