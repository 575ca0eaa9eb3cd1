using CsCheck;
using LogLossApi.Testing;

namespace LogLossApi.Scoring.Tests;

/// <summary>The Newton fit against scikit-learn's numbers for the seed, and at the optimum in general.</summary>
public sealed class LogisticRegressionTests
{
    [Fact]
    public void The_seed_gives_scikit_learns_coefficient_intercept_and_mean_loss()
    {
        var fixture = Fixtures.Named("logistic-regression-seed.json");
        var x = fixture.Request["x"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        var y = fixture.Request["y"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        var probabilities = new double[y.Length];

        var fit = LogisticRegression.Fit(x, 1, y, LogisticRegressionOptions.Default, probabilities);
        var loss = BinaryCrossEntropy.Evaluate(new BinaryInput(y, probabilities, PredictionKind.Probabilities, default, BinaryLossOptions.Default), default);

        Assert.True(fit.Converged);
        Assert.Equal(fixture.Expected["coefficients"]![0]!.GetValue<double>(), fit.Coefficients[0], fixture.Relative * 0.98);
        Assert.Equal(fixture.Expected["intercept"]!.GetValue<double>(), fit.Intercept, fixture.Relative * 0.66);
        Assert.Equal(fixture.Expected["logLoss"]!["meanLoss"]!.GetValue<double>(), loss.MeanLoss, 1e-8);
    }

    [Fact]
    public void At_the_fit_the_gradient_of_the_objective_vanishes()
    {
        Gen.Select(Gen.Int[2, 80], Gen.Int[1, 5], Gen.Double[0.01, 100.0], Gen.Bool)
            .SelectMany((n, f, c, intercept) => Gen.Select(Gen.Double[-3.0, 3.0].Array[n * f], Gen.Int[0, 1].Array[n], (x, y) => (x, y, f, c, intercept)))
            .Where(t => t.y.Distinct().Count() == 2)
            .Sample(t =>
            {
                var y = t.y.Select(v => (double)v).ToArray();
                var p = new double[y.Length];
                var options = LogisticRegressionOptions.Default with { C = t.c, FitIntercept = t.intercept };

                var fit = LogisticRegression.Fit(t.x, t.f, y, options, p);

                Assert.True(fit.Converged, $"not converged after {fit.Iterations}: |g| = {fit.GradientNorm}");
                for (var j = 0; j < t.f; j++)
                {
                    var gradient = fit.Coefficients[j] + (t.c * Enumerable.Range(0, y.Length).Sum(i => (p[i] - y[i]) * t.x[(i * t.f) + j]));
                    Assert.True(Math.Abs(gradient) < 1e-6 * Math.Max(1, t.c * y.Length), $"gradient {gradient}");
                }

                Assert.All(fit.Coefficients, b => Assert.True(double.IsFinite(b)));
            }, iter: 200);
    }

    [Fact]
    public void Separable_data_converges_to_finite_coefficients_and_a_constant_feature_gets_none_of_the_weight()
    {
        double[] x = [-3, 5, -2, 5, -1, 5, 1, 5, 2, 5, 3, 5];
        double[] y = [0, 0, 0, 1, 1, 1];
        var p = new double[6];

        var fit = LogisticRegression.Fit(x, 2, y, LogisticRegressionOptions.Default, p);

        Assert.True(fit.Converged);
        Assert.True(fit.Coefficients[0] is > 0 and < 10);
        Assert.Equal(0, fit.Coefficients[1], 1e-9);
        Assert.True(p[0] < 0.5 && p[5] > 0.5);
    }

    [Fact]
    public void One_class_only_and_bad_shapes_are_refused()
    {
        Assert.Throws<ArgumentException>(() => LogisticRegression.Fit([1, 2], 1, [1, 1], LogisticRegressionOptions.Default, new double[2]));
        Assert.Throws<ArgumentException>(() => LogisticRegression.Fit([1, 2, 3], 2, [0, 1], LogisticRegressionOptions.Default, new double[2]));
        Assert.Throws<ArgumentException>(() => LogisticRegression.Fit([1, double.NaN], 1, [0, 1], LogisticRegressionOptions.Default, new double[2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => LogisticRegression.Fit([1, 2], 1, [0, 1], LogisticRegressionOptions.Default with { C = 0 }, new double[2]));
    }
}
