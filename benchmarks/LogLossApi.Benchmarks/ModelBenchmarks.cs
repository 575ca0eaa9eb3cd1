using System.Globalization;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using LogLossApi.MulticlassLogLoss;
using LogLossApi.Scoring;

namespace LogLossApi.Benchmarks;

/// <summary>
/// The multiclass endpoint's stages on 100,000 samples × 10 classes (JSON parse of the N × C matrix into one
/// contiguous buffer, then the categorical loss), and logistic-regression fits as N and F grow.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class ModelBenchmarks
{
    private const int MulticlassSamples = 100_000;
    private const int Classes = 10;
    private byte[] _multiclassJson = null!;
    private int[] _labels = null!;
    private double[] _matrix = null!;
    private double[] _losses = null!;
    private double[] _features = null!;
    private double[] _y = null!;
    private double[] _probabilities = null!;

    [Params("1000000x1", "100000x10", "10000x100")]
    public string Shape { get; set; } = "1000000x1";

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(20261124);
        _labels = new int[MulticlassSamples];
        _matrix = new double[MulticlassSamples * Classes];
        var json = new StringBuilder("{\"labels\":[");
        var rows = new StringBuilder("],\"probabilities\":[");
        for (var i = 0; i < MulticlassSamples; i++)
        {
            _labels[i] = random.Next(Classes);
            var row = _matrix.AsSpan(i * Classes, Classes);
            for (var c = 0; c < Classes; c++)
            {
                row[c] = random.NextDouble() + 1e-3;
            }

            var sum = row.ToArray().Sum();
            for (var c = 0; c < Classes; c++)
            {
                row[c] /= sum;
            }

            json.Append(i == 0 ? string.Empty : ",").Append(_labels[i]);
            rows.Append(i == 0 ? "[" : ",[").AppendJoin(',', row.ToArray().Select(v => v.ToString("R", CultureInfo.InvariantCulture))).Append(']');
        }

        _multiclassJson = Encoding.UTF8.GetBytes(json.Append(rows).Append("]}").ToString());
        _losses = new double[MulticlassSamples];

        var parts = Shape.Split('x');
        var n = int.Parse(parts[0], CultureInfo.InvariantCulture);
        var f = int.Parse(parts[1], CultureInfo.InvariantCulture);
        _features = new double[n * f];
        _y = new double[n];
        _probabilities = new double[n];
        var truth = Enumerable.Range(0, f).Select(_ => random.NextDouble() - 0.5).ToArray();
        for (var i = 0; i < n; i++)
        {
            var z = 0.0;
            for (var j = 0; j < f; j++)
            {
                _features[(i * f) + j] = (random.NextDouble() * 4) - 2;
                z += truth[j] * _features[(i * f) + j];
            }

            _y[i] = random.NextDouble() < 1 / (1 + Math.Exp(-z)) ? 1 : 0;
        }
    }

    [Benchmark(Description = "multiclass 100k x 10: JSON parse (service path)")]
    public int ParseMulticlass()
    {
        using var request = JsonSerializer.Deserialize(_multiclassJson, MulticlassLogLossJsonContext.Default.MulticlassLogLossRequest)!;
        return request.SampleCount;
    }

    [Benchmark(Description = "multiclass 100k x 10: categorical loss")]
    public double ScoreMulticlass() =>
        MulticlassCrossEntropy.Evaluate(new MulticlassInput(_labels, _matrix, Classes, PredictionKind.Probabilities, default, MulticlassLossOptions.Default), _losses).MeanLoss;

    [Benchmark(Description = "logistic regression fit (N x F)")]
    public int FitLogisticRegression() =>
        LogisticRegression.Fit(_features, _features.Length / _y.Length, _y, LogisticRegressionOptions.Default, _probabilities).Iterations;
}
