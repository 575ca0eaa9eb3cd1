using CsCheck;

namespace LogLossApi.Scoring.Tests;

/// <summary>Invariants of binary cross-entropy over random inputs (CsCheck shrinks any failure to a small case).</summary>
public sealed class BinaryPropertyTests
{
    private static readonly Gen<double> Label = Gen.OneOf(Gen.Const(0.0), Gen.Const(1.0), Gen.Double[0.0, 1.0]);

    private static readonly Gen<double> Probability = Gen.OneOf(Gen.Double[0.0, 1.0], Gen.Const(0.0), Gen.Const(1.0), Gen.Double[0.0, 1e-12]);

    private static readonly Gen<(double[] Labels, double[] Probabilities, double[] Weights)> Samples =
        Gen.Int[1, 300].SelectMany(n => Gen.Select(Label.Array[n], Probability.Array[n], Gen.Double[0.0, 10.0].Array[n]))
            .Select((y, p, w) => (y, p, w.Select(x => x + 0.01).ToArray()));

    private static readonly Gen<BinaryLossOptions> Options =
        Gen.Select(Gen.Double[1e-15, 0.1], Gen.Double[0.1, 5.0], Gen.OneOf(Gen.Const(0.0), Gen.Double[0.0, 0.99]), Gen.Bool)
            .Select((eps, pw, s, bits) => new BinaryLossOptions(eps, bits ? LossUnit.Bits : LossUnit.Nats, pw, s));

    [Fact]
    public void Every_loss_is_finite_and_non_negative_and_the_mean_lies_between_them()
    {
        Gen.Select(Samples, Options).Sample((samples, options) =>
        {
            var losses = new double[samples.Labels.Length];

            var report = Evaluate(samples, options, losses);

            Assert.All(losses, l => Assert.True(double.IsFinite(l) && l >= 0, $"loss {l}"));
            Assert.InRange(report.MeanLoss, losses.Min() - 1e-12, losses.Max() + 1e-12);
            Assert.True(report.StandardError is null or >= 0);
        });
    }

    [Fact]
    public void Cross_entropy_is_label_entropy_plus_kl_divergence()
    {
        Gen.Select(Samples, Options).Sample((samples, options) =>
        {
            var entropy = Evaluate(samples, options, default).Entropy;

            Assert.True(entropy.LabelEntropy >= -1e-15 && entropy.KlDivergence >= -1e-12, $"H {entropy.LabelEntropy}, KL {entropy.KlDivergence}");
            Assert.Equal(entropy.CrossEntropy, entropy.LabelEntropy + entropy.KlDivergence, 1e-12 * Math.Max(1, entropy.CrossEntropy));
        });
    }

    [Fact]
    public void Cross_entropy_equals_mean_loss_when_positive_weight_is_one()
    {
        Samples.Sample(samples =>
        {
            var report = Evaluate(samples, BinaryLossOptions.Default, default);

            Assert.Equal(report.MeanLoss, report.Entropy.CrossEntropy, 1e-12 * Math.Max(1, report.MeanLoss));
        });
    }

    [Fact]
    public void Permuting_the_samples_changes_nothing()
    {
        Gen.Select(Samples, Options, Gen.UInt).Sample((samples, options, seed) =>
        {
            var order = Enumerable.Range(0, samples.Labels.Length).ToArray();
            new Random((int)seed).Shuffle(order);
            var permuted = (order.Select(i => samples.Labels[i]).ToArray(), order.Select(i => samples.Probabilities[i]).ToArray(), order.Select(i => samples.Weights[i]).ToArray());

            var original = Evaluate(samples, options, default);
            var shuffled = Evaluate(permuted, options, default);

            AssertClose(original, shuffled, 1e-11);
        });
    }

    [Fact]
    public void Scaling_every_weight_leaves_the_means_unchanged()
    {
        Gen.Select(Samples, Options, Gen.Double[1e-3, 1e3]).Sample((samples, options, scale) =>
        {
            var scaled = (samples.Labels, samples.Probabilities, samples.Weights.Select(w => w * scale).ToArray());

            var original = Evaluate(samples, options, default);
            var rescaled = Evaluate(scaled, options, default);

            AssertClose(original, rescaled, 1e-11);
        });
    }

    [Fact]
    public void Logits_and_their_unclipped_probabilities_give_the_same_losses()
    {
        Gen.Int[1, 200].SelectMany(n => Gen.Select(Label.Array[n], Gen.Double[-20.0, 20.0].Array[n])).Sample((labels, logits) =>
        {
            var probabilities = logits.Select(z => 1.0 / (1.0 + Math.Exp(-z))).ToArray();
            var fromLogits = new double[labels.Length];
            var fromProbabilities = new double[labels.Length];

            BinaryCrossEntropy.Evaluate(new BinaryInput(labels, logits, PredictionKind.Logits, default, BinaryLossOptions.Default), fromLogits);
            var report = BinaryCrossEntropy.Evaluate(new BinaryInput(labels, probabilities, PredictionKind.Probabilities, default, BinaryLossOptions.Default), fromProbabilities);

            Assert.Equal(0, report.ClippedCount);
            for (var i = 0; i < labels.Length; i++)
            {
                Assert.Equal(fromLogits[i], fromProbabilities[i], 1e-9 + (1e-6 * fromLogits[i]));
            }
        });
    }

    [Fact]
    public void Bits_are_nats_divided_by_ln_2()
    {
        Gen.Select(Samples, Options).Sample((samples, options) =>
        {
            var nats = Evaluate(samples, options with { Unit = LossUnit.Nats }, default);
            var bits = Evaluate(samples, options with { Unit = LossUnit.Bits }, default);

            Assert.Equal(nats.MeanLoss / Math.Log(2), bits.MeanLoss, 1e-12 * Math.Max(1, bits.MeanLoss));
            Assert.Equal(nats.Entropy.BaseRateEntropy / Math.Log(2), bits.Entropy.BaseRateEntropy, 1e-12);
            Assert.Equal(nats.Entropy.Perplexity, bits.Entropy.Perplexity, 1e-12 * nats.Entropy.Perplexity);
        });
    }

    [Fact]
    public void Feeding_an_accumulator_in_chunks_equals_one_evaluation()
    {
        Gen.Int[1, 6000].SelectMany(n => Gen.Select(Label.Array[n], Probability.Array[n], Gen.Int[1, 3000])).Sample((labels, probabilities, chunk) =>
        {
            var whole = new double[labels.Length];
            var pieces = new double[labels.Length];
            var expected = BinaryCrossEntropy.Evaluate(new BinaryInput(labels, probabilities, PredictionKind.Probabilities, default, BinaryLossOptions.Default), whole);

            var accumulator = new BinaryLogLossAccumulator(BinaryLossOptions.Default, PredictionKind.Probabilities, weighted: false);
            for (var start = 0; start < labels.Length; start += chunk)
            {
                var n = Math.Min(chunk, labels.Length - start);
                accumulator.Add(labels.AsSpan(start, n), probabilities.AsSpan(start, n), default, pieces.AsSpan(start, n));
            }

            AssertClose(expected, accumulator.ToReport(), 1e-11);

            // A sample's position in a vector or in the scalar tail may change its last bit, nothing more.
            for (var i = 0; i < whole.Length; i++)
            {
                Assert.Equal(whole[i], pieces[i], 1e-15 * Math.Max(1e-300, whole[i]));
            }
        }, iter: 30);
    }

    private static BinaryLogLossReport Evaluate((double[] Labels, double[] Probabilities, double[] Weights) samples, BinaryLossOptions options, Span<double> losses) =>
        BinaryCrossEntropy.Evaluate(new BinaryInput(samples.Labels, samples.Probabilities, PredictionKind.Probabilities, samples.Weights, options), losses);

    private static void AssertClose(BinaryLogLossReport expected, BinaryLogLossReport actual, double relative)
    {
        static void Close(double? a, double? b, double relative, string name, double absolute = 1e-15)
        {
            Assert.True(a is null == b is null, name);
            if (a is { } x && b is { } y)
            {
                Assert.True(Math.Abs(x - y) <= relative * Math.Max(1e-300, Math.Max(Math.Abs(x), Math.Abs(y))) + absolute, $"{name}: {x:R} vs {y:R}");
            }
        }

        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected.ClippedCount, actual.ClippedCount);
        Close(expected.MeanLoss, actual.MeanLoss, relative, "meanLoss");
        // Identical losses have a standard error of 0, computed as the rounding of their mean (a few ulps of meanLoss).
        Close(expected.StandardError, actual.StandardError, 1e-9, "standardError", 1e-14 * Math.Max(1, expected.MeanLoss));
        Close(expected.Positive.MeanLoss, actual.Positive.MeanLoss, relative, "positive.meanLoss");
        Close(expected.Negative.MeanLoss, actual.Negative.MeanLoss, relative, "negative.meanLoss");
        Close(expected.Entropy.CrossEntropy, actual.Entropy.CrossEntropy, relative, "crossEntropy");
        Close(expected.Entropy.LabelEntropy, actual.Entropy.LabelEntropy, 1e-9, "labelEntropy");
        Close(expected.Entropy.KlDivergence, actual.Entropy.KlDivergence, 1e-9, "klDivergence");
        Close(expected.Entropy.BaseRate, actual.Entropy.BaseRate, relative, "baseRate");
    }
}
