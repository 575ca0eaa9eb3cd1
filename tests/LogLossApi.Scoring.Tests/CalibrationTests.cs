using CsCheck;
using LogLossApi.Testing;

namespace LogLossApi.Scoring.Tests;

/// <summary>The CORP decomposition against the fixtures and its identities as properties.</summary>
public sealed class CalibrationTests
{
    private static readonly Gen<(double[] Labels, double[] P, double[] W)> Samples =
        Gen.Int[1, 200].SelectMany(n => Gen.Select(
            Gen.Int[0, 1].Array[n].Select(a => a.Select(v => (double)v).ToArray()),
            Gen.OneOf(Gen.Double[0.0, 1.0], Gen.Int[0, 10].Select(k => k / 10.0)).Array[n],
            Gen.Double[0.0, 5.0].Array[n]))
        .Where(s => s.Item3.Sum() > 0);

    private static readonly Gen<(double[] Labels, double[] P, double[] W)> PositiveWeights =
        Gen.Int[1, 200].SelectMany(n => Gen.Select(
            Gen.Int[0, 1].Array[n].Select(a => a.Select(v => (double)v).ToArray()),
            Gen.OneOf(Gen.Double[0.0, 1.0], Gen.Int[0, 10].Select(k => k / 10.0)).Array[n],
            Gen.Double[0.1, 5.0].Array[n]));

    [Theory]
    [InlineData("calibration-seed.json")]
    [InlineData("calibration-ties.json")]
    public void The_decomposition_matches_the_fixture(string name)
    {
        var fixture = Fixtures.Named(name);
        var labels = fixture.Request["labels"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        var p = fixture.Request["probabilities"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();

        var report = CalibrationDecomposition.Evaluate(new BinaryInput(labels, p, PredictionKind.Probabilities, default, BinaryLossOptions.Default), 10);

        var expected = fixture.Expected["decomposition"]!;
        Assert.Equal(fixture.Expected["meanLoss"]!.GetValue<double>(), report.MeanLoss, 1e-12);
        Assert.Equal(expected["miscalibration"]!.GetValue<double>(), report.Miscalibration, 1e-12);
        Assert.Equal(expected["discrimination"]!.GetValue<double>(), report.Discrimination, 1e-12);
        Assert.Equal(expected["uncertainty"]!.GetValue<double>(), report.Uncertainty, 1e-12);
    }

    [Fact]
    public void Mean_loss_is_miscalibration_minus_discrimination_plus_uncertainty_and_both_terms_are_non_negative()
    {
        Gen.Select(Samples, Gen.Int[1, 20]).Sample((s, bins) =>
        {
            var report = CalibrationDecomposition.Evaluate(new BinaryInput(s.Labels, s.P, PredictionKind.Probabilities, s.W, BinaryLossOptions.Default with { Epsilon = 1e-12 }), bins);

            Assert.Equal(report.MeanLoss, report.Miscalibration - report.Discrimination + report.Uncertainty, 1e-12 * Math.Max(1, report.MeanLoss));
            Assert.True(report.Miscalibration >= -1e-12, $"miscalibration {report.Miscalibration}");
            Assert.True(report.Discrimination >= -1e-12, $"discrimination {report.Discrimination}");
            Assert.Equal(bins, report.Bins.Count);
            Assert.All(report.Reliability.Zip(report.Reliability.Skip(1)), pair => Assert.True(pair.First.CalibratedProbability < pair.Second.CalibratedProbability));
        }, iter: 300);
    }

    [Fact]
    public void Recalibrated_forecasts_have_no_miscalibration_and_the_base_rate_has_no_discrimination()
    {
        PositiveWeights.Sample(s =>
        {
            var first = CalibrationDecomposition.Evaluate(new BinaryInput(s.Labels, s.P, PredictionKind.Probabilities, s.W, BinaryLossOptions.Default), 10);
            var recalibrated = s.P.Select(p => first.Reliability.First(b => p >= b.ForecastMin && p <= b.ForecastMax).CalibratedProbability).ToArray();
            var positive = s.Labels.Zip(s.W).Sum(t => t.First * t.Second) / s.W.Sum();
            var baseRate = Enumerable.Repeat(positive, s.P.Length).ToArray();

            var again = CalibrationDecomposition.Evaluate(new BinaryInput(s.Labels, recalibrated, PredictionKind.Probabilities, s.W, BinaryLossOptions.Default with { Epsilon = 1e-300 }), 10);
            var constant = CalibrationDecomposition.Evaluate(new BinaryInput(s.Labels, baseRate, PredictionKind.Probabilities, s.W, BinaryLossOptions.Default with { Epsilon = 1e-300 }), 10);

            Assert.Equal(0, again.Miscalibration, 1e-9);
            Assert.Equal(0, constant.Discrimination, 1e-9);
        }, iter: 200);
    }

    [Fact]
    public void Soft_labels_and_bins_out_of_range_are_refused()
    {
        Assert.Throws<ArgumentException>(() => CalibrationDecomposition.Evaluate(new BinaryInput([0.5, 1], [0.5, 0.5], PredictionKind.Probabilities, default, BinaryLossOptions.Default), 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => CalibrationDecomposition.Evaluate(new BinaryInput([0, 1], [0.5, 0.5], PredictionKind.Probabilities, default, BinaryLossOptions.Default), 0));
    }
}
