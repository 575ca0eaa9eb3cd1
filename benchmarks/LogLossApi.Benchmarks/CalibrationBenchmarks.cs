using BenchmarkDotNet.Attributes;
using LogLossApi.Scoring;

namespace LogLossApi.Benchmarks;

/// <summary>The CORP decomposition (sort, pooled ties, PAV, bins), with and without its mergeable state, and a paired comparison on 1,000,000 samples, one thread.</summary>
[MemoryDiagnoser]
[ShortRunJob]
public class CalibrationBenchmarks
{
    private Bodies _bodies = null!;
    private double[] _rounded = null!;
    private double[] _lossesA = null!;
    private double[] _lossesB = null!;

    [GlobalSetup]
    public void Setup()
    {
        _bodies = Bodies.Of(1_000_000);
        _rounded = [.. _bodies.Probabilities.Select(p => Math.Round(p, 3))];
        _lossesA = new double[_bodies.Labels.Length];
        _lossesB = new double[_bodies.Labels.Length];
        BinaryCrossEntropy.Evaluate(new BinaryInput(_bodies.Labels, _bodies.Probabilities, PredictionKind.Probabilities, default, BinaryLossOptions.Default), _lossesA);
        BinaryCrossEntropy.Evaluate(new BinaryInput(_bodies.Labels, _rounded, PredictionKind.Probabilities, default, BinaryLossOptions.Default), _lossesB);
    }

    [Benchmark(Description = "calibration 1M: distinct forecasts")]
    public double Distinct() =>
        CalibrationDecomposition.Evaluate(new BinaryInput(_bodies.Labels, _bodies.Probabilities, PredictionKind.Probabilities, default, BinaryLossOptions.Default), 10).Miscalibration;

    [Benchmark(Description = "calibration 1M: distinct forecasts, with the state (10,000 buckets)")]
    public int DistinctWithState() =>
        CalibrationDecomposition.EvaluateWithHistogram(new BinaryInput(_bodies.Labels, _bodies.Probabilities, PredictionKind.Probabilities, default, BinaryLossOptions.Default), 10, CalibrationHistogram.DefaultBuckets).Histogram.ToState().Buckets.Index.Length;

    [Benchmark(Description = "calibration 1M: forecasts rounded to 3 decimals (many ties)")]
    public double Ties() =>
        CalibrationDecomposition.Evaluate(new BinaryInput(_bodies.Labels, _rounded, PredictionKind.Probabilities, default, BinaryLossOptions.Default), 10).Miscalibration;

    [Benchmark(Description = "paired comparison 1M (from per-sample losses)")]
    public double Compare() => PairedComparison.Compare(_lossesA, _lossesB, default, 0.95).MeanDifference;
}
