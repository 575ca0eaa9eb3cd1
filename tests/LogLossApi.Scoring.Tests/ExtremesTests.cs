using CsCheck;

namespace LogLossApi.Scoring.Tests;

/// <summary>Valid inputs at the edges of their ranges: weights at every scale, logits near the largest double, tails.</summary>
public sealed class ExtremesTests
{
    private static readonly Gen<double> Scale = Gen.Int[-300, 300].Select(e => Math.Pow(10, e));

    private static readonly Gen<(double[] Labels, double[] Probabilities, double[] Weights)> Samples =
        Gen.Int[2, 5000].SelectMany(n => Gen.Select(Gen.Int[0, 1].Array[n], Gen.Double[0.0, 1.0].Array[n], Gen.Double[0.01, 10.0].Array[n]))
            .Select((y, p, w) => (y.Select(v => (double)v).ToArray(), p, w));

    private static void AssertClose(double expected, double? actual, double relative = 1e-12, double absolute = 1e-300) =>
        Assert.True(actual is { } a && Math.Abs(a - expected) <= (relative * Math.Abs(expected)) + absolute, $"expected {expected:R}, got {actual:R}");

    [Fact]
    public void Every_binary_figure_is_invariant_under_scaling_all_weights_from_1e_minus_300_to_1e300()
    {
        Gen.Select(Samples, Scale).Sample((s, scale) =>
        {
            var reference = BinaryCrossEntropy.Evaluate(new BinaryInput(s.Labels, s.Probabilities, PredictionKind.Probabilities, s.Weights, BinaryLossOptions.Default), default);
            var scaledWeights = s.Weights.Select(w => w * scale).ToArray();

            var scaled = BinaryCrossEntropy.Evaluate(new BinaryInput(s.Labels, s.Probabilities, PredictionKind.Probabilities, scaledWeights, BinaryLossOptions.Default), default);

            AssertClose(reference.MeanLoss, scaled.MeanLoss);

            // Losses that are all equal (every probability clipped, say) have a standard error of 0, computed as 0 or as
            // a few ulps of the loss depending on the scale: compared within that rounding (found by CI, seed dc37BVM5qaU2).
            AssertClose(reference.StandardError!.Value, scaled.StandardError, absolute: 1e-13 * reference.MeanLoss);
            AssertClose(reference.Entropy.BaseRate, scaled.Entropy.BaseRate);
            AssertClose(reference.Entropy.CrossEntropy, scaled.Entropy.CrossEntropy);
            AssertClose(reference.Positive.MeanLoss ?? 0, scaled.Positive.MeanLoss ?? 0);
            AssertClose(reference.WeightSum * scale, scaled.WeightSum, 1e-12);
            AssertClose(reference.SumLoss * scale, scaled.SumLoss, 1e-12);
        }, iter: 200);
    }

    [Fact]
    public void Multiclass_calibration_and_comparison_figures_are_invariant_under_scaling_all_weights()
    {
        Gen.Select(Samples, Scale).Sample((s, scale) =>
        {
            var scaledWeights = s.Weights.Select(w => w * scale).ToArray();
            var labels = s.Labels.Select(l => (int)l).ToArray();
            var rows = s.Probabilities.SelectMany(p => new[] { 1 - p, p }).ToArray();
            MulticlassLogLossReport Multi(double[] w) => MulticlassCrossEntropy.Evaluate(new MulticlassInput(labels, rows, 2, PredictionKind.Probabilities, w, MulticlassLossOptions.Default), default);
            CalibrationReport Calibrate(double[] w) => CalibrationDecomposition.Evaluate(new BinaryInput(s.Labels, s.Probabilities, PredictionKind.Probabilities, w, BinaryLossOptions.Default), 10);
            var other = s.Probabilities.Select(p => Math.Abs(p - 0.1)).ToArray();
            PairedDifference Compare(double[] w) => PairedComparison.Compare(s.Probabilities, other, w, 0.95);

            var (multi, multiScaled) = (Multi(s.Weights), Multi(scaledWeights));
            var (calibration, calibrationScaled) = (Calibrate(s.Weights), Calibrate(scaledWeights));
            var (comparison, comparisonScaled) = (Compare(s.Weights), Compare(scaledWeights));

            AssertClose(multi.MeanLoss, multiScaled.MeanLoss);
            AssertClose(multi.StandardError!.Value, multiScaled.StandardError, absolute: 1e-13 * multi.MeanLoss);
            AssertClose(multi.Entropy.ClassDistribution[1], multiScaled.Entropy.ClassDistribution[1]);
            AssertClose(multi.WeightSum * scale, multiScaled.WeightSum);
            AssertClose(calibration.Miscalibration, calibrationScaled.Miscalibration, 1e-9, 1e-12);
            AssertClose(calibration.Discrimination, calibrationScaled.Discrimination, 1e-9, 1e-12);
            AssertClose(calibration.ExpectedCalibrationError, calibrationScaled.ExpectedCalibrationError, 1e-9, 1e-12);
            AssertClose(calibration.Reliability[0].Weight * scale, calibrationScaled.Reliability[0].Weight);
            AssertClose(comparison.MeanDifference, comparisonScaled.MeanDifference);
            AssertClose(comparison.StandardError!.Value, comparisonScaled.StandardError);
        }, iter: 100);
    }

    [Fact]
    public void Weights_whose_sum_is_beyond_the_double_range_still_give_the_class_distribution()
    {
        double[] weights = [double.MaxValue, double.MaxValue, double.MaxValue];

        var report = MulticlassCrossEntropy.Evaluate(new MulticlassInput([0, 1, 1], [0.7, 0.3, 0.4, 0.6, 0.2, 0.8], 2, PredictionKind.Probabilities, weights, MulticlassLossOptions.Default), default);

        Assert.Equal(double.PositiveInfinity, report.WeightSum);
        AssertClose(1 / 3.0, report.Entropy.ClassDistribution[0]);
        AssertClose(2 / 3.0, report.Entropy.ClassDistribution[1]);
        AssertClose(-((Math.Log(1 / 3.0) / 3) + (Math.Log(2 / 3.0) * 2 / 3)), report.Entropy.ClassEntropy);
    }

    [Fact]
    public void Logits_near_the_largest_double_give_finite_means_and_standard_errors_where_the_true_values_are()
    {
        const double Big = double.MaxValue;
        double[] labels = [1, 1, 0];
        double[] logits = [-Big, -Big, -1.0];

        var report = BinaryCrossEntropy.Evaluate(new BinaryInput(labels, logits, PredictionKind.Logits, default, BinaryLossOptions.Default), default);

        // Losses: Big, Big, softplus(−1); their sum is beyond the double range, their mean and spread are not.
        var small = Math.Log(1 + Math.Exp(-1.0));
        var mean = (Big / 3 * 2) + (small / 3);
        Assert.Equal(double.PositiveInfinity, report.SumLoss);
        AssertClose(mean, report.MeanLoss);
        var deviations = new[] { Big - mean, Big - mean, small - mean };
        AssertClose(Math.Sqrt(3 / 2.0 * deviations.Sum(d => (d / Big) * (d / Big))) * Big / 3, report.StandardError);
        Assert.Equal(double.PositiveInfinity, report.Entropy.Perplexity);
    }

    [Fact]
    public void Tiny_losses_keep_a_standard_error_instead_of_underflowing_to_zero()
    {
        double[] labels = [1, 1];
        double[] logits = [700, 701];

        var report = BinaryCrossEntropy.Evaluate(new BinaryInput(labels, logits, PredictionKind.Logits, default, BinaryLossOptions.Default), default);

        // softplus(−z) = e^−z to double precision here; SE of two values is |a − b| / 2.
        var (a, b) = (Math.Exp(-700), Math.Exp(-701));
        AssertClose((a + b) / 2, report.MeanLoss, 1e-14);
        AssertClose((a - b) / 2, report.StandardError, 1e-14);
    }

    [Theory]
    [InlineData(5.5, 4.5, 10.0, 1.523970604832094e-23)]
    [InlineData(10.5, 9.5, 20.0, 5.507248237212311e-89)]
    [InlineData(19.0, 18.0, 37.0, 1.1451142445047853e-299)]
    public void P_values_keep_their_precision_far_into_the_tail(double first, double second, double z, double expected)
    {
        // Two differences a and b give mean (a + b)/2 and standard error |a − b|/2, so z = (a + b)/|a − b| exactly.
        // Expected values: scipy.stats.norm.sf(z) · 2 (SciPy 1.10).
        var result = PairedComparison.Compare([0.0, 0.0], [first, second], default, 0.95);

        Assert.Equal(z, result.Z);
        AssertClose(expected, result.PValue, 1e-12);
    }

    [Theory]
    [InlineData(0.8999999999999999, 10, 8)]
    [InlineData(0.9, 10, 9)]
    [InlineData(0.30000000000000004, 10, 3)]
    [InlineData(0.29999999999999993, 10, 2)]
    [InlineData(1.0, 10, 9)]
    [InlineData(0.0, 10, 0)]
    [InlineData(0.7, 10, 7)]
    [InlineData(0.6999999999999998, 10, 6)]
    public void A_forecast_is_binned_by_comparing_it_with_the_edge_doubles(double forecast, int bins, int expected)
    {
        Assert.Equal(expected, CalibrationDecomposition.BinOf(forecast, bins));
    }

    [Fact]
    public void Every_forecast_one_ulp_either_side_of_every_edge_lands_on_the_right_side()
    {
        Gen.Int[1, 1000].Sample(bins =>
        {
            for (var k = 1; k < bins; k++)
            {
                var edge = (double)k / bins;
                Assert.Equal(k - 1, CalibrationDecomposition.BinOf(Math.BitDecrement(edge), bins));
                Assert.Equal(k, CalibrationDecomposition.BinOf(edge, bins));
                Assert.Equal(k, CalibrationDecomposition.BinOf(Math.BitIncrement(edge), bins));
            }
        }, iter: 50);
    }

    [Theory]
    [InlineData(1e-8, 5.7699995408990264e-08, 0.8472978148042095)]
    [InlineData(1e-6, 5.7699540903004205e-06, 0.8472933021487004)]
    [InlineData(1e-4, 0.0005765413004392141, 0.8468426446674248)]
    [InlineData(1e-2, 0.05348403020193592, 0.807227234705569)]
    [InlineData(1.0, 0.9719344751851487, 0.6555359451636961)]
    [InlineData(1e2, 1.6247627159600595, 0.7984282931377872)]
    [InlineData(1e4, 1.642245446061421, 0.802790770259521)]
    [InlineData(1e6, 1.642424059883711, 0.8028353970330255)]
    [InlineData(1e8, 1.6424258464111903, 0.8028358434037204)]
    public void Logistic_regression_matches_scikit_learns_newton_cholesky_over_every_scale_of_c(double c, double coefficient, double intercept)
    {
        // Expected: scikit-learn 1.2.1, LogisticRegression(C=c, solver="newton-cholesky", tol=1e-10) on the seed's ten points.
        double[] x = [-2.2, -1.4, -0.8, 0.2, 0.4, 0.8, 1.2, 2.2, 2.9, 4.6];
        double[] y = [0, 0, 1, 0, 1, 1, 1, 1, 1, 1];

        var fit = LogisticRegression.Fit(x, 1, y, LogisticRegressionOptions.Default with { C = c }, new double[10]);

        Assert.True(fit.Converged);
        AssertClose(coefficient, fit.Coefficients[0], 1e-6);
        AssertClose(intercept, fit.Intercept, 1e-6);
    }
}
