using BenchmarkDotNet.Attributes;
using LogLossApi.Scoring;

namespace LogLossApi.Benchmarks;

/// <summary>
/// The scoring library alone, from 10³ to 10⁷ samples: the binary mean loss (and its breakdown) without per-sample
/// losses, and with them written into a caller's buffer. Per-sample cost is the mean divided by N.
/// </summary>
[MemoryDiagnoser]
public class LibraryBenchmarks
{
    private double[] _labels = null!;
    private double[] _probabilities = null!;
    private double[] _losses = null!;

    [Params(1_000, 10_000, 100_000, 1_000_000, 10_000_000)]
    public int Samples { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(20261124);
        _labels = new double[Samples];
        _probabilities = new double[Samples];
        _losses = new double[Samples];
        for (var i = 0; i < Samples; i++)
        {
            _labels[i] = random.Next(2);
            _probabilities[i] = random.NextDouble();
        }
    }

    [Benchmark(Description = "binary mean loss")]
    public double MeanLoss() => BinaryCrossEntropy.Evaluate(Input, default).MeanLoss;

    [Benchmark(Description = "binary mean loss with per-sample losses")]
    public double MeanLossWithLosses() => BinaryCrossEntropy.Evaluate(Input, _losses).MeanLoss;

    private BinaryInput Input => new(_labels, _probabilities, PredictionKind.Probabilities, default, BinaryLossOptions.Default);
}
