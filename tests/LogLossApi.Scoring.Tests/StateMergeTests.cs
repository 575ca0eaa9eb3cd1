using CsCheck;

namespace LogLossApi.Scoring.Tests;

/// <summary>
/// Pieces of rows carried as states (ToState, FromState) and merged in random order and tree shape: multiclass and
/// comparison states give the report of all rows to 1e-12 relative; calibration histograms give the exact mean loss,
/// uncertainty and aligned bins, and miscalibration and discrimination at most the exact ones.
/// </summary>
public sealed class StateMergeTests
{
    private const double Tolerance = 1e-12;

    private static readonly int[] BinChoices = [1, 2, 5, 10];

    private static readonly Gen<double> Scale = Gen.OneOf(Gen.Const(1.0), Gen.Int[-300, 300].Select(e => Math.Pow(10, e)));

    private static readonly Gen<double[]> Weights = Gen.Int[1, 500].SelectMany(n => Gen.Double[0.0, 10.0].Array[n]);

    private static Gen<(int[] Cuts, int Seed)> Pieces(int n) =>
        Gen.Select(Gen.Int[0, 49].SelectMany(k => Gen.Int[0, n].Array[k]), Gen.Int).Select((cuts, seed) => (Cuts: (int[])[0, .. cuts.Order(), n], Seed: seed));

    [Fact]
    public void Multiclass_states_of_pieces_merge_to_all_rows()
    {
        var samples = Gen.Select(Weights, Scale, Gen.Int[2, 5], Gen.Bool).SelectMany((w, scale, c, logits) => Gen.Select(
            Gen.Int[0, c - 1].Array[w.Length],
            // A probability row summing to 0 cannot be renormalized (the service refuses it).
            (logits ? Gen.Double[-30, 30] : Gen.Double[1e-3, 1.0]).Array[w.Length * c],
            Gen.Select(Gen.Double[1e-15, 0.1], Gen.OneOf(Gen.Const(0.0), Gen.Double[0.0, 0.99]), Gen.Bool),
            Pieces(w.Length),
            (y, p, o, pieces) => (y, p, w: w.Select(v => (v + 0.01) * scale).ToArray(), c, kind: logits ? PredictionKind.Logits : PredictionKind.Probabilities,
                options: new MulticlassLossOptions(o.Item1, LossUnit.Nats, o.Item2, Renormalize: true), unit: o.Item3 ? LossUnit.Bits : LossUnit.Nats, pieces)));
        samples.Sample(s =>
        {
            var whole = new MulticlassLogLossAccumulator(s.options with { Unit = s.unit }, s.c, s.kind, weighted: true);
            whole.Add(s.y, s.p, s.w, default);
            string[] names = [.. Enumerable.Range(0, s.c).Select(i => $"c{i}")];

            var merged = States.MergeRandomly(s.pieces, (start, end) =>
            {
                var piece = new MulticlassLogLossAccumulator(s.options, s.c, s.kind, weighted: true);
                piece.Add(s.y.AsSpan(start, end - start), s.p.AsSpan(start * s.c, (end - start) * s.c), s.w.AsSpan(start, end - start), default);
                var state = piece.ToState(names);
                Assert.Empty(state.Problems());
                var again = MulticlassLogLossAccumulator.FromState(state, s.unit);
                Assert.Equivalent(state, again.ToState(names), strict: true);
                return again;
            }, (a, b) => a.Merge(b));

            States.AssertClose(whole.ToReport(), merged.ToReport(), Tolerance);
        });
    }

    [Fact]
    public void One_class_has_an_entropy_of_exactly_zero_and_no_normalized_entropy_whole_or_merged()
    {
        // Found by the property above (seed 4YDY2WVSEhe3): every label in one class, three classes, these weights.
        int[] labels = [1, 1, 1, 1];
        double[] rows = [1, 5d / 27, 4d / 7, 1, 1, 1, 26d / 93, 0.9465467937279923, 5d / 11, 1, 1, 0.8237399458314791];
        double[] weights = [0.22246042374253094, 6.427973232989428, 0.01, 0.135];
        var options = new MulticlassLossOptions(3.961e-9, LossUnit.Nats, 0, Renormalize: true);
        var whole = new MulticlassLogLossAccumulator(options, 3, PredictionKind.Probabilities, weighted: true);
        whole.Add(labels, rows, weights, default);
        var first = new MulticlassLogLossAccumulator(options, 3, PredictionKind.Probabilities, weighted: true);
        first.Add(labels.AsSpan(0, 1), rows.AsSpan(0, 3), weights.AsSpan(0, 1), default);
        var rest = new MulticlassLogLossAccumulator(options, 3, PredictionKind.Probabilities, weighted: true);
        rest.Add(labels.AsSpan(1), rows.AsSpan(3), weights.AsSpan(1), default);

        var wholeReport = whole.ToReport();
        first.Merge(rest);
        foreach (var report in new[] { wholeReport, first.ToReport() })
        {
            Assert.Equal(0.0, report.Entropy.ClassEntropy);
            Assert.Null(report.Entropy.NormalizedEntropy);
            Assert.Equal(1.0, report.Entropy.ClassDistribution[1]);
        }
    }

    [Fact]
    public void Comparison_states_of_pieces_merge_to_all_rows()
    {
        var samples = Gen.Select(Weights, Scale, Gen.Double[0.5, 0.999], Gen.Bool).SelectMany((w, scale, level, bits) => Gen.Select(
            Gen.Int[0, 1].Array[w.Length],
            Gen.Double[0.0, 1.0].Array[w.Length],
            Gen.Double[-20, 20].Array[w.Length],
            Pieces(w.Length),
            (y, p, z, pieces) => (y: y.Select(v => (double)v).ToArray(), p, z, w: w.Select(v => (v + 0.01) * scale).ToArray(), level, unit: bits ? LossUnit.Bits : LossUnit.Nats, pieces)));
        samples.Sample(s =>
        {
            PredictionKind[] kinds = [PredictionKind.Probabilities, PredictionKind.Logits];
            string[] names = ["a", "b"];
            var whole = new ModelComparisonAccumulator(BinaryLossOptions.Default with { Unit = s.unit }, kinds, weighted: true, s.level);
            whole.Add(s.y, s.w, [s.p, s.z]);

            var merged = States.MergeRandomly(s.pieces, (start, end) =>
            {
                var piece = new ModelComparisonAccumulator(BinaryLossOptions.Default, kinds, weighted: true, s.level);
                piece.Add(s.y.AsSpan(start, end - start), s.w.AsSpan(start, end - start), [s.p.AsMemory(start, end - start), s.z.AsMemory(start, end - start)]);
                var state = piece.ToState(names);
                Assert.Empty(state.Problems());
                return ModelComparisonAccumulator.FromState(state, s.unit, s.level);
            }, (a, b) => a.Merge(b));

            var (expected, actual) = (whole.ToReport(), merged.ToReport());
            States.AssertClose(expected.Models, actual.Models, Tolerance);
            var (d, e) = (expected.Differences[0], actual.Differences[0]);
            Assert.Equal(d.MeanDifference, e.MeanDifference, Tolerance * Math.Max(Math.Abs(d.MeanDifference), d.StandardError ?? 0));
            Assert.Equal(d.StandardError ?? 0, e.StandardError ?? 0, Tolerance * (d.StandardError ?? 0));
        });
    }

    [Fact]
    public void Calibration_histograms_of_pieces_keep_the_exact_figures_and_bound_the_rest()
    {
        var samples = Gen.Select(Weights, Scale, Gen.Int[0, 3], Gen.Bool).SelectMany((w, scale, binChoice, logits) => Gen.Select(
            Gen.Int[0, 1].Array[w.Length],
            (logits ? Gen.Double[-8, 8] : Gen.OneOf(Gen.Double[0.0, 1.0], Gen.Int[0, 20].Select(k => k / 20.0))).Array[w.Length],
            Gen.OneOf(Gen.Const(10), Gen.Const(100), Gen.Int[10, 5000]),
            Pieces(w.Length),
            (y, p, buckets, pieces) => (y: y.Select(v => (double)v).ToArray(), p, w: w.Select(v => (v + 0.01) * scale).ToArray(), bins: BinChoices[binChoice], buckets,
                kind: logits ? PredictionKind.Logits : PredictionKind.Probabilities, pieces)));
        samples.Sample(s =>
        {
            var input = new BinaryInput(s.y, s.p, s.kind, s.w, BinaryLossOptions.Default);
            var exact = CalibrationDecomposition.Evaluate(input, s.bins);
            var parts = new List<CalibrationHistogram>();
            for (var i = 0; i + 1 < s.pieces.Cuts.Length; i++)
            {
                var (start, end) = (s.pieces.Cuts[i], s.pieces.Cuts[i + 1]);
                if (end > start)
                {
                    var piece = new BinaryInput(s.y.AsSpan(start, end - start), s.p.AsSpan(start, end - start), s.kind, s.w.AsSpan(start, end - start), BinaryLossOptions.Default);
                    var state = CalibrationDecomposition.EvaluateWithHistogram(piece, s.bins, s.buckets).Histogram.ToState();
                    Assert.Empty(state.Problems());
                    parts.Add(CalibrationHistogram.FromState(state, LossUnit.Nats));
                }
            }

            var merged = CalibrationHistogram.Merge([.. parts.OrderBy(_ => Random.Shared.Next())]).ToReport(s.bins);
            var slack = 1e-12 * Math.Max(1, exact.Uncertainty);
            Assert.Equal(exact.MeanLoss, merged.MeanLoss, Tolerance * exact.MeanLoss);
            Assert.Equal(exact.Uncertainty, merged.Uncertainty, Tolerance * Math.Max(exact.Uncertainty, 1e-300));
            Assert.True(merged.Miscalibration <= exact.Miscalibration + slack, $"{merged.Miscalibration} > {exact.Miscalibration}");
            Assert.True(merged.Discrimination <= exact.Discrimination + slack, $"{merged.Discrimination} > {exact.Discrimination}");
            Assert.Equal(exact.MeanLoss, merged.Miscalibration - merged.Discrimination + merged.Uncertainty, 1e-12 * Math.Max(1, exact.MeanLoss));
            if (s.buckets % s.bins == 0)
            {
                States.AssertClose(exact.Bins, merged.Bins, 1e-12);
                Assert.Equal(exact.ExpectedCalibrationError, merged.ExpectedCalibrationError, 1e-12);
            }
        });
    }

    [Fact]
    public void Calibration_histogram_merging_is_commutative_and_associative()
    {
        var samples = Gen.Select(Gen.Int[1, 300], Gen.Int[10, 2000]).SelectMany((n, buckets) => Gen.Select(
            Gen.Int[0, 1].Array[3 * n], Gen.Double[0.0, 1.0].Array[3 * n], Gen.Double[0.01, 5].Array[3 * n],
            (y, p, w) => (y: y.Select(v => (double)v).ToArray(), p, w, n, buckets)));
        samples.Sample(s =>
        {
            CalibrationHistogram Part(int k) => CalibrationDecomposition.EvaluateWithHistogram(
                new BinaryInput(s.y.AsSpan(k * s.n, s.n), s.p.AsSpan(k * s.n, s.n), PredictionKind.Probabilities, s.w.AsSpan(k * s.n, s.n), BinaryLossOptions.Default), 10, s.buckets).Histogram;
            var left = CalibrationHistogram.Merge([CalibrationHistogram.Merge([Part(0), Part(1)]), Part(2)]).ToReport(10);
            var right = CalibrationHistogram.Merge([Part(2), CalibrationHistogram.Merge([Part(1), Part(0)])]).ToReport(10);
            States.AssertClose(left, right, Tolerance);
        });
    }

    [Fact]
    public void Dense_and_pairwise_merging_give_the_same_histogram()
    {
        var samples = Gen.Select(Gen.Int[2, 20], Gen.Int[10, 200], Gen.Int[1, 400]).SelectMany((parts, buckets, rows) => Gen.Select(
            Gen.Int[0, 1].Array[parts * rows], Gen.Double[0.0, 1.0].Array[parts * rows], Gen.Double[0.01, 1e6].Array[parts * rows],
            (y, p, w) => (y: y.Select(v => (double)v).ToArray(), p, w, parts, buckets, rows)));
        samples.Sample(s =>
        {
            var histograms = Enumerable.Range(0, s.parts).Select(k => CalibrationDecomposition.EvaluateWithHistogram(
                new BinaryInput(s.y.AsSpan(k * s.rows, s.rows), s.p.AsSpan(k * s.rows, s.rows), PredictionKind.Probabilities, s.w.AsSpan(k * s.rows, s.rows), BinaryLossOptions.Default),
                10, s.buckets).Histogram).ToList();
            var pairwise = CalibrationHistogram.FromState(histograms[0].ToState(), LossUnit.Nats);
            foreach (var h in histograms.Skip(1))
            {
                pairwise.Merge(h);
            }

            // The list takes the dense path when the buckets are at most twice its entries, else the tree; both occur here.
            var dense = CalibrationHistogram.Merge(histograms);
            States.AssertClose(pairwise.ToState().Buckets, dense.ToState().Buckets, Tolerance);
            Assert.Equal(pairwise.Count, dense.Count);
        });
    }

    [Theory]
    [InlineData("buckets.index[1]")]
    [InlineData("buckets.positive[0]")]
    [InlineData("bucketCount")]
    [InlineData("count")]
    public void A_calibration_state_no_decomposition_could_make_is_refused_naming_the_field(string field)
    {
        var state = CalibrationDecomposition.EvaluateWithHistogram(
            new BinaryInput([0, 1, 1], [0.1, 0.5, 0.9], PredictionKind.Probabilities, default, BinaryLossOptions.Default), 10, 100).Histogram.ToState();
        var b = state.Buckets;
        var broken = field switch
        {
            "buckets.index[1]" => state with { Buckets = b with { Index = [b.Index[0], b.Index[0], b.Index[2]] } },
            "buckets.positive[0]" => state with { Buckets = b with { Positive = [2, b.Positive[1], b.Positive[2]] } },
            "bucketCount" => state with { BucketCount = 5 },
            _ => state with { Count = 2 },
        };

        Assert.Contains(broken.Problems(), p => p.Option == field);
        Assert.Throws<ArgumentException>(() => CalibrationHistogram.FromState(broken, LossUnit.Nats));
    }

    [Fact]
    public void States_made_with_different_options_name_the_option_and_both_values()
    {
        static MulticlassLogLossState Multiclass(double smoothing)
        {
            var accumulator = new MulticlassLogLossAccumulator(MulticlassLossOptions.Default with { LabelSmoothing = smoothing }, 2, PredictionKind.Logits, weighted: false);
            accumulator.Add([0, 1], [1, 2, 3, 4], default, default);
            return accumulator.ToState(null);
        }

        var problem = Assert.Single(Multiclass(0.1).DifferencesFrom(Multiclass(0.2)));
        Assert.Equal("labelSmoothing", problem.Option);
        Assert.Contains("0.1", problem.Message, StringComparison.Ordinal);
        Assert.Contains("0.2", problem.Message, StringComparison.Ordinal);
    }
}
