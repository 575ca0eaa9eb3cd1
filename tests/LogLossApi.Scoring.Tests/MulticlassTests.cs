using System.Text.Json.Nodes;
using CsCheck;
using LogLossApi.Testing;

namespace LogLossApi.Scoring.Tests;

/// <summary>The categorical library against the multiclass fixtures, and its invariants as properties.</summary>
public sealed class MulticlassTests
{
    private static readonly Gen<(int[] Labels, double[] Rows, double[] Weights, int Classes)> Samples =
        Gen.Select(Gen.Int[1, 120], Gen.Int[2, 6]).SelectMany((n, c) => Gen.Select(
            Gen.Int[0, c - 1].Array[n],
            Gen.Double[0.0, 1.0].Array[n * c],
            Gen.Double[0.0, 10.0].Array[n],
            (labels, raw, weights) => (Labels: labels, Rows: Normalize(raw, c), Weights: weights, Classes: c)))
        .Where(s => s.Weights.Sum() > 0);

    public static TheoryData<Fixture> MulticlassFixtures() => new(Fixtures.For("/v1/log-loss/multiclass"));

    [Theory]
    [MemberData(nameof(MulticlassFixtures))]
    public void Evaluate_matches_the_fixture_field_by_field(Fixture fixture)
    {
        var request = fixture.Request;
        var labels = request["labels"]!.AsArray().Select(l => l!.GetValue<int>()).ToArray();
        var matrix = (request["probabilities"] ?? request["logits"])!.AsArray();
        var classes = matrix[0]!.AsArray().Count;
        var values = matrix.SelectMany(r => r!.AsArray().Select(v => v!.GetValue<double>())).ToArray();
        var weights = request["weights"]?.AsArray().Select(w => w!.GetValue<double>()).ToArray() ?? [];
        var options = request["options"] as JsonObject;
        var losses = new double[labels.Length];

        var report = MulticlassCrossEntropy.Evaluate(
            new MulticlassInput(labels, values, classes, request["logits"] is null ? PredictionKind.Probabilities : PredictionKind.Logits, weights, new MulticlassLossOptions(
                options?["epsilon"]?.GetValue<double>() ?? BinaryLossOptions.DefaultEpsilon,
                options?["unit"]?.GetValue<string>() == "bits" ? LossUnit.Bits : LossUnit.Nats,
                options?["labelSmoothing"]?.GetValue<double>() ?? 0,
                options?["renormalize"]?.GetValue<bool>() ?? false)),
            losses);

        var expected = fixture.Expected.DeepClone().AsObject();
        foreach (var entry in expected["classes"]!.AsArray())
        {
            entry!.AsObject().Remove("name");
        }

        var actual = new JsonObject
        {
            ["count"] = report.Count,
            ["classCount"] = report.ClassCount,
            ["weightSum"] = report.WeightSum,
            ["meanLoss"] = report.MeanLoss,
            ["sumLoss"] = report.SumLoss,
            ["unit"] = report.Unit == LossUnit.Bits ? "bits" : "nats",
            ["losses"] = new JsonArray([.. losses.Select(l => JsonValue.Create(l))]),
            ["clippedCount"] = report.ClippedCount,
            ["standardError"] = report.StandardError,
            ["classes"] = new JsonArray([.. report.Classes.Select((c, i) => new JsonObject { ["index"] = i, ["count"] = c.Count, ["weight"] = c.Weight, ["lossSum"] = c.LossSum, ["meanLoss"] = c.MeanLoss })]),
            ["entropy"] = new JsonObject
            {
                ["crossEntropy"] = report.Entropy.CrossEntropy,
                ["labelEntropy"] = report.Entropy.LabelEntropy,
                ["klDivergence"] = report.Entropy.KlDivergence,
                ["classDistribution"] = new JsonArray([.. report.Entropy.ClassDistribution.Select(q => JsonValue.Create(q))]),
                ["classEntropy"] = report.Entropy.ClassEntropy,
                ["informationGain"] = report.Entropy.InformationGain,
                ["normalizedEntropy"] = report.Entropy.NormalizedEntropy,
                ["perplexity"] = report.Entropy.Perplexity,
            },
        };
        Assert.Empty(JsonComparison.Differences(expected, actual, fixture.Relative, fixture.Absolute));
    }

    [Fact]
    public void With_two_classes_every_shared_figure_equals_the_binary_library_for_every_epsilon_clipped_samples_included()
    {
        var probability = Gen.Frequency((4, Gen.Double[0.0, 1.0]), (1, Gen.Const(0.0)), (1, Gen.Const(1.0)), (1, Gen.Double[0.0, 1e-6]), (1, Gen.Double[0.999999, 1.0]));
        var epsilon = Gen.Frequency((2, Gen.Const(BinaryLossOptions.DefaultEpsilon)), (2, Gen.Double[1e-12, 0.4999]), (1, Gen.Const(double.Epsilon)), (1, Gen.Double[1e-300, 1e-100]));
        Gen.Select(Gen.Int[1, 200].SelectMany(n => Gen.Select(Gen.Int[0, 1].Array[n], probability.Array[n], Gen.Double[0.0, 5.0].Array[n])), Gen.Double[0.0, 0.9], epsilon)
            .Where(t => t.Item1.Item3.Sum() > 0)
            .Sample(((int[] Labels, double[] P, double[] W) s, double smoothing, double eps) =>
            {
                var rows = s.P.SelectMany(p => new[] { 1 - p, p }).ToArray();
                var multi = MulticlassCrossEntropy.Evaluate(new MulticlassInput(s.Labels, rows, 2, PredictionKind.Probabilities, s.W, MulticlassLossOptions.Default with { LabelSmoothing = smoothing, Epsilon = eps }), default);
                var binary = BinaryCrossEntropy.Evaluate(new BinaryInput([.. s.Labels.Select(l => (double)l)], s.P, PredictionKind.Probabilities, s.W, BinaryLossOptions.Default with { LabelSmoothing = smoothing, Epsilon = eps }), default);

                // fl(1 − p) differs from 1 − p by at most half an ulp of 1, so the two agree to ~1e-16 absolute per log argument.
                var tolerance = 1e-9 * Math.Max(1, binary.MeanLoss);
                Assert.Equal(binary.MeanLoss, multi.MeanLoss, tolerance);
                Assert.Equal(binary.Entropy.LabelEntropy, multi.Entropy.LabelEntropy, 1e-9);
                Assert.Equal(binary.Entropy.KlDivergence, multi.Entropy.KlDivergence, tolerance);
                Assert.Equal(binary.Entropy.BaseRateEntropy, multi.Entropy.ClassEntropy, 1e-9);
                Assert.Equal(binary.StandardError ?? -1, multi.StandardError ?? -1, tolerance);
            }, iter: 500);
    }

    [Fact]
    public void Probabilities_are_clipped_to_one_minus_epsilon_from_above_and_clipped_count_counts_samples()
    {
        double[] rows = [0.05, 0.95, 0.0, 0.5, 0.25, 0.25, 0.0, 0.0, 1.0];

        var report = MulticlassCrossEntropy.Evaluate(new MulticlassInput([1, 0, 2], rows, 3, PredictionKind.Probabilities, default, MulticlassLossOptions.Default with { Epsilon = 0.1 }), default);

        Assert.Equal(2, report.ClippedCount);
        Assert.Equal(-Math.Log(0.9), report.Classes[1].LossSum, 1e-15);
        Assert.Equal(-Math.Log(0.9), report.Classes[2].LossSum, 1e-15);
    }

    [Fact]
    public void Losses_are_non_negative_and_cross_entropy_is_label_entropy_plus_kl()
    {
        Gen.Select(Samples, Gen.Double[0.0, 0.9]).Sample((s, smoothing) =>
        {
            var losses = new double[s.Labels.Length];
            var report = MulticlassCrossEntropy.Evaluate(new MulticlassInput(s.Labels, s.Rows, s.Classes, PredictionKind.Probabilities, s.Weights, MulticlassLossOptions.Default with { LabelSmoothing = smoothing }), losses);

            Assert.All(losses, l => Assert.True(l >= 0 && double.IsFinite(l)));
            Assert.Equal(report.Entropy.CrossEntropy, report.Entropy.LabelEntropy + report.Entropy.KlDivergence, 1e-9 * Math.Max(1, report.Entropy.CrossEntropy));
            Assert.True(report.Entropy.KlDivergence >= -1e-12);
            Assert.Equal(1.0, report.Entropy.ClassDistribution.Sum(), 1e-12);
        }, iter: 300);
    }

    [Fact]
    public void Logits_equal_their_softmax_as_probabilities_and_stay_finite_at_extremes()
    {
        Gen.Select(Gen.Int[1, 50], Gen.Int[2, 5]).SelectMany((n, c) => Gen.Select(Gen.Int[0, c - 1].Array[n], Gen.Double[-30.0, 30.0].Array[n * c], (l, z) => (l, z, c)))
            .Sample(t =>
            {
                var probabilities = Softmax(t.z, t.c);
                var fromLogits = MulticlassCrossEntropy.Evaluate(new MulticlassInput(t.l, t.z, t.c, PredictionKind.Logits, default, MulticlassLossOptions.Default), default);
                var fromProbabilities = MulticlassCrossEntropy.Evaluate(new MulticlassInput(t.l, probabilities, t.c, PredictionKind.Probabilities, default, MulticlassLossOptions.Default with { Epsilon = 1e-300 }), default);

                Assert.Equal(fromProbabilities.MeanLoss, fromLogits.MeanLoss, 1e-9 * Math.Max(1, fromLogits.MeanLoss));
            }, iter: 200);

        var extreme = MulticlassCrossEntropy.Evaluate(new MulticlassInput([0, 1], [1e6, -1e6, 1e6, -1e6], 2, PredictionKind.Logits, default, MulticlassLossOptions.Default), default);
        Assert.Equal(1e6, extreme.MeanLoss, 6);
    }

    private static double[] Normalize(double[] raw, int c)
    {
        var rows = (double[])raw.Clone();
        for (var i = 0; i < rows.Length; i += c)
        {
            var sum = rows.AsSpan(i, c).ToArray().Sum();
            for (var k = 0; k < c; k++)
            {
                rows[i + k] = sum > 0 ? rows[i + k] / sum : 1.0 / c;
            }
        }

        return rows;
    }

    private static double[] Softmax(double[] z, int c)
    {
        var p = new double[z.Length];
        for (var i = 0; i < z.Length; i += c)
        {
            var max = z.AsSpan(i, c).ToArray().Max();
            var sum = z.AsSpan(i, c).ToArray().Sum(v => Math.Exp(v - max));
            for (var k = 0; k < c; k++)
            {
                p[i + k] = Math.Exp(z[i + k] - max) / sum;
            }
        }

        return p;
    }
}
