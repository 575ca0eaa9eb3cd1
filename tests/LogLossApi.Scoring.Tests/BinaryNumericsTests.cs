namespace LogLossApi.Scoring.Tests;

public sealed class BinaryNumericsTests
{
    [Fact]
    public void A_million_equal_losses_average_to_that_loss_within_a_few_ulps()
    {
        const int N = 1_000_000;
        var labels = Enumerable.Repeat(1.0, N).ToArray();
        var probabilities = Enumerable.Repeat(0.1, N).ToArray();

        var report = BinaryCrossEntropy.Evaluate(new BinaryInput(labels, probabilities, PredictionKind.Probabilities, default, BinaryLossOptions.Default), default);

        Assert.Equal(-Math.Log(0.1), report.MeanLoss, 1e-14);
        Assert.Equal(0.0, report.StandardError!.Value, 1e-12);
    }

    [Fact]
    public void A_chunk_that_fails_its_checks_in_a_later_block_leaves_the_accumulator_as_it_was()
    {
        var accumulator = new BinaryLogLossAccumulator(BinaryLossOptions.Default, PredictionKind.Probabilities, weighted: false);
        accumulator.Add([0, 1, 1], [0.2, 0.7, 0.9], default, default);
        var before = accumulator.ToReport();
        var n = (2 * BinaryLogLossAccumulator.BlockSize) + 5;
        var labels = Enumerable.Range(0, n).Select(i => (double)(i % 2)).ToArray();
        var probabilities = Enumerable.Repeat(0.5, n).ToArray();
        probabilities[BinaryLogLossAccumulator.BlockSize + 3] = double.NaN;

        Assert.Throws<ArgumentException>(() => accumulator.Add(labels, probabilities, default, default));

        Assert.Equal(before, accumulator.ToReport());
    }

    [Fact]
    public void Hard_labels_and_the_same_labels_through_the_general_path_give_the_same_figures()
    {
        // Labels 0/1 with probabilities take the fused path; one soft label in a block sends that block the general
        // way. Two blocks that differ only in that label must agree on every other sample's loss.
        var random = new Random(11);
        var n = BinaryLogLossAccumulator.BlockSize;
        var labels = Enumerable.Range(0, n).Select(_ => (double)random.Next(2)).ToArray();
        var probabilities = Enumerable.Range(0, n).Select(i => i % 97 == 0 ? (i % 2 == 0 ? 0.0 : 1.0) : random.NextDouble()).ToArray();
        probabilities[5] = 1e-300;
        var soft = labels.ToArray();
        soft[0] = 0.5;
        var options = new BinaryLossOptions(1e-12, LossUnit.Bits, 2.5, 0.0);
        var fused = new double[n];
        var general = new double[n];

        BinaryCrossEntropy.Evaluate(new BinaryInput(labels, probabilities, PredictionKind.Probabilities, default, options), fused);
        BinaryCrossEntropy.Evaluate(new BinaryInput(soft, probabilities, PredictionKind.Probabilities, default, options), general);

        for (var i = 1; i < n; i++)
        {
            Assert.Equal(general[i], fused[i], Math.Max(Math.Abs(general[i]), 1) * 1e-15);
        }
    }

    [Fact]
    public void A_class_with_a_tiny_share_of_the_weight_keeps_its_weight_exactly()
    {
        // Σw over the negatives is summed itself, not taken as Σw − Σwy, which would cancel to noise here.
        var labels = Enumerable.Repeat(1.0, 1000).Append(0.0).ToArray();
        var probabilities = Enumerable.Repeat(0.9, 1001).ToArray();
        var weights = Enumerable.Repeat(1e8, 1000).Append(3e-9).ToArray();

        var report = BinaryCrossEntropy.Evaluate(new BinaryInput(labels, probabilities, PredictionKind.Probabilities, weights, BinaryLossOptions.Default), default);

        Assert.Equal(3e-9, report.Negative.Weight, 3e-9 * 1e-12);
        Assert.Equal(1e11, report.Positive.Weight, 1e11 * 1e-15);
    }

    [Fact]
    public void Standard_error_matches_the_two_pass_formula_across_many_blocks()
    {
        var random = new Random(7);
        var n = (3 * BinaryLogLossAccumulator.BlockSize) + 17;
        var labels = Enumerable.Range(0, n).Select(_ => (double)random.Next(2)).ToArray();
        var probabilities = Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToArray();
        var weights = Enumerable.Range(0, n).Select(_ => random.NextDouble() * 3).ToArray();
        var losses = new double[n];

        var report = BinaryCrossEntropy.Evaluate(new BinaryInput(labels, probabilities, PredictionKind.Probabilities, weights, BinaryLossOptions.Default), losses);

        var w = weights.Sum();
        var mean = losses.Zip(weights, (l, x) => l * x).Sum() / w;
        var expected = Math.Sqrt(n / (n - 1.0) * losses.Zip(weights, (l, x) => x * x * (l - mean) * (l - mean)).Sum()) / w;
        Assert.Equal(expected, report.StandardError!.Value, 1e-12);
        Assert.Equal(mean, report.MeanLoss, 1e-12);
    }

    [Theory]
    [InlineData(1e-300)]
    [InlineData(1e-17)]
    [InlineData(1e-9)]
    [InlineData(0.5)]
    public void Log1P_is_accurate_for_tiny_and_ordinary_arguments(double x)
    {
        double[] values = [x, -x];
        var result = new double[2];

        Kernels.Log1P(values, result);

        // Reference: the Taylor series where it converges fast, the plain logarithm where 1 ± x is exact enough.
        var (plus, minus) = x < 1e-4
            ? (x - (x * x / 2) + (x * x * x / 3), -x - (x * x / 2) - (x * x * x / 3))
            : (Math.Log(1 + x), Math.Log(1 - x));
        Assert.Equal(plus, result[0], Math.Abs(plus) * 4e-16);
        Assert.Equal(minus, result[1], Math.Abs(minus) * 4e-16);
        Assert.Equal(result[0], Kernels.Log1P(x), Math.Abs(plus) * 4e-16);
    }

    [Theory]
    [InlineData(-1000.0)]
    [InlineData(-40.0)]
    [InlineData(0.0)]
    [InlineData(40.0)]
    [InlineData(1000.0)]
    public void Log_sigmoid_pair_is_finite_and_exact_at_the_extremes(double z)
    {
        double[] logits = [z];
        var a = new double[1];
        var b = new double[1];
        var scratch = new double[1];

        Kernels.LogSigmoidPair(logits, a, b, scratch);

        Assert.True(double.IsFinite(a[0]) && double.IsFinite(b[0]));
        static double Softplus(double x) => Math.Max(x, 0) + Math.Log(1 + Math.Exp(-Math.Abs(x)));
        Assert.Equal(-Softplus(-z), a[0], 1e-12 * Math.Max(1, Math.Abs(z)));
        Assert.Equal(-Softplus(z), b[0], 1e-12 * Math.Max(1, Math.Abs(z)));
    }

    [Fact]
    public void Invalid_input_is_rejected_up_front()
    {
        double[] labels = [0, 1];

        Assert.Throws<ArgumentException>(() => BinaryCrossEntropy.Evaluate(new BinaryInput(labels, [0.5], PredictionKind.Probabilities, default, BinaryLossOptions.Default), default));
        Assert.Throws<ArgumentException>(() => BinaryCrossEntropy.Evaluate(new BinaryInput(labels, [0.5, double.NaN], PredictionKind.Probabilities, default, BinaryLossOptions.Default), default));
        Assert.Throws<ArgumentException>(() => BinaryCrossEntropy.Evaluate(new BinaryInput(labels, [0.5, double.PositiveInfinity], PredictionKind.Logits, default, BinaryLossOptions.Default), default));
        Assert.Throws<ArgumentException>(() => BinaryCrossEntropy.Evaluate(new BinaryInput(labels, [0.5, 0.5], PredictionKind.Probabilities, [0, 0], BinaryLossOptions.Default), default));
        Assert.Throws<ArgumentException>(() => BinaryCrossEntropy.Evaluate(new BinaryInput([], [], PredictionKind.Probabilities, default, BinaryLossOptions.Default), default));
        Assert.Throws<ArgumentOutOfRangeException>(() => BinaryCrossEntropy.Evaluate(new BinaryInput(labels, [0.5, 0.5], PredictionKind.Probabilities, default, BinaryLossOptions.Default with { Epsilon = 0.5 }), default));
    }

    [Fact]
    public void A_clip_below_half_an_ulp_of_one_still_gives_finite_losses_for_certain_forecasts()
    {
        var losses = new double[4];

        var report = BinaryCrossEntropy.Evaluate(new BinaryInput([1, 0, 0, 1], [1, 1, 0, 0], PredictionKind.Probabilities, default, BinaryLossOptions.Default with { Epsilon = 1e-300 }), losses);

        Assert.Equal([0, -Math.Log(1e-300), 1e-300, -Math.Log(1e-300)], losses);
        Assert.True(double.IsFinite(report.MeanLoss));
    }
}
