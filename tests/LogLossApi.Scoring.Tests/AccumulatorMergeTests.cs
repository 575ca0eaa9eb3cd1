using CsCheck;

namespace LogLossApi.Scoring.Tests;

/// <summary>
/// Rows cut at random points into 1 … 50 pieces (some empty), each piece accumulated on its own, and the pieces
/// merged in a random order and tree shape: the report equals the report of all rows at once, to 1e-12 relative,
/// for every accumulator, every option and weights at any scale.
/// </summary>
public sealed class AccumulatorMergeTests
{
    private const double Tolerance = 1e-12;

    private static readonly Gen<double> Label = Gen.OneOf(Gen.Const(0.0), Gen.Const(1.0), Gen.Double[0.0, 1.0]);

    private static readonly Gen<double> Probability = Gen.OneOf(Gen.Double[0.0, 1.0], Gen.Const(0.0), Gen.Const(1.0), Gen.Double[0.0, 1e-12]);

    // Every weight is scaled by 10^scale, so the pieces' sums need the powers-of-two scaling (1e-300 … 1e300).
    private static readonly Gen<double> Scale = Gen.OneOf(Gen.Const(1.0), Gen.Int[-300, 300].Select(e => Math.Pow(10, e)));

    private static readonly Gen<double[]> Weights = Gen.Int[1, 600].SelectMany(n => Gen.Double[0.0, 10.0].Array[n]);

    private static readonly Gen<BinaryLossOptions> Options =
        Gen.Select(Gen.Double[1e-15, 0.1], Gen.Double[0.1, 5.0], Gen.OneOf(Gen.Const(0.0), Gen.Double[0.0, 0.99]), Gen.Bool)
            .Select((eps, pw, s, bits) => new BinaryLossOptions(eps, bits ? LossUnit.Bits : LossUnit.Nats, pw, s));

    /// <summary>Where the rows are cut (sorted, 0 … n, repeats allowed: empty pieces) and the seed of the merge order.</summary>
    private static Gen<(int[] Cuts, int Seed)> Pieces(int n) =>
        Gen.Select(Gen.Int[0, 49].SelectMany(k => Gen.Int[0, n].Array[k]), Gen.Int).Select((cuts, seed) => (Cuts: (int[])[0, .. cuts.Order(), n], Seed: seed));

    [Fact]
    public void Binary_pieces_merged_in_any_order_and_tree_equal_all_rows()
    {
        var samples = Gen.Select(Weights, Scale, Gen.Bool, Gen.Bool).SelectMany((w, scale, weighted, logits) =>
            Gen.Select(Label.Array[w.Length], (logits ? Gen.Double[-40, 40] : Probability).Array[w.Length], Options, Pieces(w.Length))
                .Select((y, p, options, pieces) => (y, p, weighted ? w.Select(v => (v + 0.01) * scale).ToArray() : [], logits, options, pieces)));
        samples.Sample(s =>
        {
            var kind = s.logits ? PredictionKind.Logits : PredictionKind.Probabilities;
            var weighted = s.Item3.Length > 0;
            var whole = new BinaryLogLossAccumulator(s.options, kind, weighted);
            whole.Add(s.y, s.p, s.Item3, default);

            var merged = States.MergeRandomly(s.pieces, (start, end) =>
            {
                var piece = new BinaryLogLossAccumulator(s.options, kind, weighted);
                piece.Add(s.y.AsSpan(start, end - start), s.p.AsSpan(start, end - start), weighted ? s.Item3.AsSpan(start, end - start) : default, default);
                return piece;
            }, (a, b) => a.Merge(b));

            States.AssertClose(whole.ToReport(), merged.ToReport(), Tolerance);
        });
    }

    [Fact]
    public void Binary_pieces_carried_as_states_merge_to_all_rows_and_a_state_round_trips_exactly()
    {
        var samples = Gen.Select(Weights, Scale, Gen.Bool).SelectMany((w, scale, bits) =>
            Gen.Select(Label.Array[w.Length], Probability.Array[w.Length], Options, Pieces(w.Length))
                .Select((y, p, options, pieces) => (y, p, w: w.Select(v => (v + 0.01) * scale).ToArray(), unit: bits ? LossUnit.Bits : LossUnit.Nats, options, pieces)));
        samples.Sample(s =>
        {
            var whole = new BinaryLogLossAccumulator(s.options with { Unit = s.unit }, PredictionKind.Probabilities, weighted: true);
            whole.Add(s.y, s.p, s.w, default);

            // Each piece is scored in nats (a state is), carried as its state, and continued in the report's unit.
            var merged = States.MergeRandomly(s.pieces, (start, end) =>
            {
                var piece = new BinaryLogLossAccumulator(s.options with { Unit = LossUnit.Nats }, PredictionKind.Probabilities, weighted: true);
                piece.Add(s.y.AsSpan(start, end - start), s.p.AsSpan(start, end - start), s.w.AsSpan(start, end - start), default);
                var state = piece.ToState();
                Assert.Empty(state.Problems());
                var again = BinaryLogLossAccumulator.FromState(state, s.unit);
                Assert.Equal(state, again.ToState());
                return again;
            }, (a, b) => a.Merge(b));

            States.AssertClose(whole.ToReport(), merged.ToReport(), Tolerance);
        });
    }

    [Theory]
    [InlineData("kind")]
    [InlineData("count")]
    [InlineData("weightSum")]
    [InlineData("dispersion")]
    [InlineData("epsilon")]
    public void A_state_no_accumulation_could_make_is_refused_naming_the_field(string field)
    {
        var piece = new BinaryLogLossAccumulator(BinaryLossOptions.Default, PredictionKind.Probabilities, weighted: false);
        piece.Add([1, 0], [0.8, 0.3], default, default);
        var state = piece.ToState();
        var broken = field switch
        {
            "kind" => state with { Kind = "multinomial" },
            "count" => state with { Count = 1 },
            "weightSum" => state with { WeightSum = new CompensatedValue(double.NaN, 0) },
            "dispersion" => state with { Dispersion = state.Dispersion with { S = -1 } },
            _ => state with { Epsilon = 0.7 },
        };

        Assert.Contains(broken.Problems(), p => p.Option == field);
        Assert.Throws<ArgumentException>(() => BinaryLogLossAccumulator.FromState(broken, LossUnit.Nats));
    }

    [Fact]
    public void Multiclass_pieces_merged_in_any_order_and_tree_equal_all_rows()
    {
        var samples = Gen.Select(Weights, Scale, Gen.Int[2, 5], Gen.Bool).SelectMany((w, scale, c, logits) => Gen.Select(
            Gen.Int[0, c - 1].Array[w.Length],
            (logits ? Gen.Double[-30, 30] : Gen.Double[0.0, 1.0]).Array[w.Length * c],
            Gen.Select(Gen.Double[1e-15, 0.1], Gen.OneOf(Gen.Const(0.0), Gen.Double[0.0, 0.99]), Gen.Bool),
            Pieces(w.Length),
            (y, p, o, pieces) => (y, p, w: w.Select(v => (v + 0.01) * scale).ToArray(), c, kind: logits ? PredictionKind.Logits : PredictionKind.Probabilities,
                options: new MulticlassLossOptions(o.Item1, o.Item3 ? LossUnit.Bits : LossUnit.Nats, o.Item2, Renormalize: true), pieces)));
        samples.Sample(s =>
        {
            var whole = new MulticlassLogLossAccumulator(s.options, s.c, s.kind, weighted: true);
            whole.Add(s.y, s.p, s.w, default);

            var merged = States.MergeRandomly(s.pieces, (start, end) =>
            {
                var piece = new MulticlassLogLossAccumulator(s.options, s.c, s.kind, weighted: true);
                piece.Add(s.y.AsSpan(start, end - start), s.p.AsSpan(start * s.c, (end - start) * s.c), s.w.AsSpan(start, end - start), default);
                return piece;
            }, (a, b) => a.Merge(b));

            States.AssertClose(whole.ToReport(), merged.ToReport(), Tolerance);
        });
    }

    [Fact]
    public void Model_comparison_pieces_merged_in_any_order_and_tree_equal_all_rows()
    {
        var samples = Gen.Select(Weights, Scale, Gen.Double[0.5, 0.999]).SelectMany((w, scale, level) => Gen.Select(
            Gen.Int[0, 1].Array[w.Length],
            Probability.Array[w.Length],
            Gen.Double[-20, 20].Array[w.Length],
            Pieces(w.Length),
            (y, p, z, pieces) => (y: y.Select(v => (double)v).ToArray(), p, z, w: w.Select(v => (v + 0.01) * scale).ToArray(), level, pieces)));
        samples.Sample(s =>
        {
            PredictionKind[] kinds = [PredictionKind.Probabilities, PredictionKind.Logits];
            var whole = new ModelComparisonAccumulator(BinaryLossOptions.Default, kinds, weighted: true, s.level);
            whole.Add(s.y, s.w, [s.p, s.z]);

            var merged = States.MergeRandomly(s.pieces, (start, end) =>
            {
                var piece = new ModelComparisonAccumulator(BinaryLossOptions.Default, kinds, weighted: true, s.level);
                piece.Add(s.y.AsSpan(start, end - start), s.w.AsSpan(start, end - start), [s.p.AsMemory(start, end - start), s.z.AsMemory(start, end - start)]);
                return piece;
            }, (a, b) => a.Merge(b));

            var expected = whole.ToReport();
            var actual = merged.ToReport();
            States.AssertClose(expected.Models, actual.Models, Tolerance);
            // z and the p-value are ratios of differences that can be tiny: compared relative to the standard error.
            var (d, e) = (expected.Differences[0], actual.Differences[0]);
            Assert.Equal(d.MeanDifference, e.MeanDifference, Tolerance * Math.Max(Math.Abs(d.MeanDifference), d.StandardError ?? 0));
            Assert.Equal(d.StandardError ?? 0, e.StandardError ?? 0, Tolerance * (d.StandardError ?? 0));
            if (d.Z is { } z && double.IsFinite(z))
            {
                Assert.Equal(z, e.Z!.Value, 1e-10 * Math.Max(1, Math.Abs(z)));
            }
        });
    }

    [Fact]
    public void Calibration_pieces_merged_in_any_order_and_tree_equal_all_rows()
    {
        var samples = Gen.Select(Weights, Scale, Gen.Int[1, 30], Gen.Bool).SelectMany((w, scale, bins, weighted) => Gen.Select(
            Gen.Int[0, 1].Array[w.Length],
            Gen.OneOf(Gen.Double[0.0, 1.0], Gen.Int[0, 10].Select(k => k / 10.0)).Array[w.Length],
            Pieces(w.Length),
            (y, p, pieces) => (y: y.Select(v => (double)v).ToArray(), p, w: weighted ? w.Select(v => (v + 0.01) * scale).ToArray() : [], bins, pieces)));
        samples.Sample(s =>
        {
            using var whole = new CalibrationCollector(BinaryLossOptions.Default, PredictionKind.Probabilities, s.bins);
            whole.Add(s.y, s.p, s.w);
            var pieces = new List<CalibrationCollector>();
            var merged = States.MergeRandomly(s.pieces, (start, end) =>
            {
                var piece = new CalibrationCollector(BinaryLossOptions.Default, PredictionKind.Probabilities, s.bins);
                pieces.Add(piece);
                piece.Add(s.y.AsSpan(start, end - start), s.p.AsSpan(start, end - start), s.w.Length > 0 ? s.w.AsSpan(start, end - start) : default);
                return piece;
            }, (a, b) => a.Merge(b));

            // The rows arrive in another order; ties are pooled and blocks sorted, so every figure is the same, to the
            // rounding of the block sums (discrimination = uncertainty − S(p̂) can be small beside both).
            States.AssertClose(whole.ToReport(), merged.ToReport(), Tolerance, absolute: 1e-14);
            pieces.ForEach(p => p.Dispose());
        });
    }

    [Fact]
    public void Merging_accumulations_made_with_different_options_is_refused()
    {
        var a = new BinaryLogLossAccumulator(BinaryLossOptions.Default, PredictionKind.Probabilities, weighted: false);
        var b = new BinaryLogLossAccumulator(BinaryLossOptions.Default with { Epsilon = 1e-7 }, PredictionKind.Probabilities, weighted: false);
        var c = new MulticlassLogLossAccumulator(MulticlassLossOptions.Default, 3, PredictionKind.Logits, weighted: false);
        var d = new MulticlassLogLossAccumulator(MulticlassLossOptions.Default, 4, PredictionKind.Logits, weighted: false);
        using var e = new CalibrationCollector(BinaryLossOptions.Default, PredictionKind.Probabilities, 10);

        Assert.Throws<ArgumentException>(() => a.Merge(b));
        Assert.Throws<ArgumentException>(() => c.Merge(d));
        Assert.Throws<ArgumentException>(() => new PairedComparisonAccumulator(0.9).Merge(new PairedComparisonAccumulator(0.95)));
        Assert.Throws<ArgumentException>(() => e.Merge(e));
    }

    [Fact]
    public void A_piece_without_weight_adds_its_count_and_nothing_else()
    {
        var all = new BinaryLogLossAccumulator(BinaryLossOptions.Default, PredictionKind.Probabilities, weighted: true);
        all.Add([1, 0], [0.8, 0.3], [1e300, 1e300], default);
        var zero = new BinaryLogLossAccumulator(BinaryLossOptions.Default, PredictionKind.Probabilities, weighted: true);
        zero.Add([1], [0.01], [0], default);

        var first = new BinaryLogLossAccumulator(BinaryLossOptions.Default, PredictionKind.Probabilities, weighted: true);
        first.Merge(zero);
        first.Merge(all);
        all.Merge(zero);

        Assert.Equal(3, first.Count);
        States.AssertClose(all.ToReport(), first.ToReport(), Tolerance);
    }
}
