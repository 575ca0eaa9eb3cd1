using System.Buffers;
using System.Numerics.Tensors;

namespace LogLossApi.Scoring;

/// <summary>One block of the isotonic recalibration: forecasts in [Min, Max] all recalibrated to <see cref="CalibratedProbability"/>.</summary>
/// <param name="ForecastMin">Smallest forecast in the block.</param>
/// <param name="ForecastMax">Largest forecast in the block.</param>
/// <param name="CalibratedProbability">p̂ = Σwᵢyᵢ / Σwᵢ over the block.</param>
/// <param name="Count">Samples in the block.</param>
/// <param name="Weight">Σwᵢ over the block.</param>
public sealed record ReliabilityBlock(double ForecastMin, double ForecastMax, double CalibratedProbability, long Count, double Weight);

/// <summary>One equal-width forecast bin of the reliability diagram.</summary>
/// <param name="Lower">Lower edge (inclusive).</param>
/// <param name="Upper">Upper edge (exclusive, but 1 belongs to the last bin).</param>
/// <param name="Count">Samples whose forecast falls in the bin.</param>
/// <param name="Weight">Σwᵢ over those samples.</param>
/// <param name="MeanForecast">Σwᵢpᵢ / Σwᵢ, null when the bin is empty.</param>
/// <param name="ObservedRate">Σwᵢyᵢ / Σwᵢ, null when the bin is empty.</param>
public sealed record ReliabilityBin(double Lower, double Upper, long Count, double Weight, double? MeanForecast, double? ObservedRate);

/// <summary>The CORP decomposition of the mean log loss and the reliability views behind it.</summary>
/// <param name="MeanLoss">S(p), the mean log loss of the forecasts (as <see cref="BinaryCrossEntropy"/> computes it).</param>
/// <param name="Unit">Unit of every loss figure.</param>
/// <param name="Miscalibration">S(p) − S(p̂) ≥ 0: what isotonic recalibration would remove.</param>
/// <param name="Discrimination">S(r) − S(p̂) ≥ 0: what the recalibrated forecasts gain over the base rate.</param>
/// <param name="Uncertainty">S(r) = H(r), the loss of always forecasting the base rate r.</param>
/// <param name="Reliability">The PAV blocks, in increasing forecast order.</param>
/// <param name="Bins">Equal-width bins over [0, 1], empty ones included.</param>
/// <param name="ExpectedCalibrationError">Σ over non-empty bins of (bin weight / W)·|observedRate − meanForecast|.</param>
public sealed record CalibrationReport(
    double MeanLoss,
    LossUnit Unit,
    double Miscalibration,
    double Discrimination,
    double Uncertainty,
    IReadOnlyList<ReliabilityBlock> Reliability,
    IReadOnlyList<ReliabilityBin> Bins,
    double ExpectedCalibrationError);

/// <summary>
/// The CORP decomposition of the log score (Dimitriadis, Gneiting &amp; Jordan, PNAS 2021). The forecasts are sorted
/// ascending, tied forecasts pooled into one block, and pool-adjacent-violators merges neighbouring blocks until their
/// weighted event rates increase strictly, giving the isotonic recalibration p̂. With S the weighted mean log loss and
/// r = Σwᵢyᵢ / W the base rate: miscalibration = S(p) − S(p̂), discrimination = S(r) − S(p̂), uncertainty = S(r) = H(r),
/// so S(p) = miscalibration − discrimination + uncertainty exactly. S(p̂) = Σ_blocks W_b·H(p̂_b) / W, since every
/// sample of a block gets the block's rate. O(N log N) time (the sort), O(N) memory. Samples of weight 0 are left
/// out of the blocks and bins (they change no sum).
/// </summary>
public static class CalibrationDecomposition
{
    /// <summary>The most reliability bins a report can have.</summary>
    public const int MaxBins = 1000;

    /// <summary>Why <paramref name="bins"/> cannot be used ("bins"), or none.</summary>
    public static IReadOnlyList<OptionProblem> BinsProblems(int bins) =>
        bins is >= 1 and <= MaxBins ? [] : [new("bins", $"Must be an integer from 1 to {MaxBins}.")];

    /// <summary>Decomposes the loss of <paramref name="input"/> (hard 0/1 labels) and bins the forecasts into <paramref name="bins"/> bins.</summary>
    /// <exception cref="ArgumentException">Soft labels, bins outside 1 … 1000, or anything <see cref="BinaryCrossEntropy"/> refuses.</exception>
    public static CalibrationReport Evaluate(in BinaryInput input, int bins) => Decompose(input, bins, 0).Report;

    /// <summary>
    /// <see cref="Evaluate"/>, and the histogram of the same rows over <paramref name="buckets"/> equal-width buckets,
    /// to be merged with other pieces' (<see cref="CalibrationHistogram"/>).
    /// </summary>
    /// <exception cref="ArgumentException">As <see cref="Evaluate"/>, or buckets outside <see cref="CalibrationHistogram.BucketProblems"/>.</exception>
    public static (CalibrationReport Report, CalibrationHistogram Histogram) EvaluateWithHistogram(in BinaryInput input, int bins, int buckets)
    {
        OptionProblem.ThrowIfAny(CalibrationHistogram.BucketProblems(buckets));
        var (report, histogram) = Decompose(input, bins, buckets);
        return (report, histogram!);
    }

    /// <summary>The decomposition, and the histogram over <paramref name="buckets"/> buckets when it is above 0.</summary>
    private static (CalibrationReport Report, CalibrationHistogram? Histogram) Decompose(in BinaryInput input, int bins, int buckets)
    {
        OptionProblem.ThrowIfAny(BinsProblems(bins));

        foreach (var label in input.Labels)
        {
            if (label is not (0.0 or 1.0))
            {
                throw new ArgumentException("Calibration needs hard labels: every label must be 0 or 1.", nameof(input));
            }
        }

        var n = input.Labels.Length;
        var losses = buckets > 0 ? ArrayPool<double>.Shared.Rent(n) : [];
        var forecasts = ArrayPool<double>.Shared.Rent(n);
        var order = ArrayPool<int>.Shared.Rent(n);
        try
        {
            // Scored in nats (the histogram keeps nats); the report's unit is applied at the end, as the accumulator applies it.
            var nats = new BinaryInput(input.Labels, input.Predictions, input.Kind, input.Weights, input.Options with { Unit = LossUnit.Nats });
            var scored = BinaryCrossEntropy.Evaluate(nats, losses.AsSpan(0, buckets > 0 ? n : 0));
            var p = forecasts.AsSpan(0, n);
            var kept = 0;

            // Weights far from 1 are summed as wᵢ·2⁻ᵏ (exact) so that no block or bin sum overflows; reported unscaled.
            var exponent = Kernels.WeightExponent(input.Weights);
            var scale = new WeightScale(input.Weights, exponent);

            // The state's histogram is filled in input order, where the losses are, not in forecast order.
            var histogram = buckets > 0 ? new CalibrationHistogram.Builder(buckets, n, TensorPrimitives.Max<double>(losses.AsSpan(0, n))) : null;
            for (var i = 0; i < n; i++)
            {
                var w = input.Weights.IsEmpty ? 1.0 : input.Weights[i];
                p[i] = BinaryCrossEntropy.ProbabilityOf(input.Predictions[i], input.Kind);
                if (w > 0)
                {
                    order[kept++] = i;
                    histogram?.Add(p[i], input.Labels[i], scale.Of(i), losses[i]);
                }
            }

            var sorted = order.AsSpan(0, kept);
            var sortedForecasts = ArrayPool<double>.Shared.Rent(kept);
            var sortedLabels = ArrayPool<double>.Shared.Rent(kept);
            var sortedWeights = ArrayPool<double>.Shared.Rent(kept);
            try
            {
                var f = sortedForecasts.AsSpan(0, kept);
                for (var j = 0; j < kept; j++)
                {
                    f[j] = p[sorted[j]];
                }

                f.Sort(sorted);

                // The rows are gathered into forecast order once, so that every pass after the sort reads them in sequence.
                var y = sortedLabels.AsSpan(0, kept);
                var w = sortedWeights.AsSpan(0, kept);
                for (var j = 0; j < kept; j++)
                {
                    (y[j], w[j]) = (input.Labels[sorted[j]], scale.Of(sorted[j]));
                }

                var sums = new BinSums(bins);
                for (var j = 0; j < kept; j++)
                {
                    sums.Add(BinOf(f[j], bins), 1, w[j], w[j] * f[j], w[j] * y[j]);
                }

                var report = Assemble(scored.MeanLoss, scored.Entropy.BaseRate, PoolTiedForecasts(f, y, w), sums, exponent, input.Options.Unit);
                return (report, histogram?.Build(input.Options.Epsilon, input.Kind, input.Options.Unit, n, exponent));
            }
            finally
            {
                ArrayPool<double>.Shared.Return(sortedForecasts);
                ArrayPool<double>.Shared.Return(sortedLabels);
                ArrayPool<double>.Shared.Return(sortedWeights);
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(forecasts);
            ArrayPool<int>.Shared.Return(order);
            if (buckets > 0)
            {
                ArrayPool<double>.Shared.Return(losses);
            }
        }
    }

    /// <summary>
    /// The report from its parts: S(p) in nats, the base rate, the PAV blocks and the bins (weights times 2⁻ᵏ), in
    /// <paramref name="unit"/>. S(p̂) = Σ_blocks W_b·H(p̂_b) / W.
    /// </summary>
    internal static CalibrationReport Assemble(double meanLossNats, double rate, List<ReliabilityBlock> scaledBlocks, BinSums bins, int exponent, LossUnit unit)
    {
        var factor = unit.FromNats();
        var weight = default(CompensatedSum);
        var recalibrated = default(CompensatedSum);
        foreach (var block in scaledBlocks)
        {
            weight.Add(block.Weight);
            recalibrated.Add(block.Weight * Kernels.BinaryEntropy(block.CalibratedProbability));
        }

        var sRecalibrated = recalibrated.Value / weight.Value * factor;
        var uncertainty = Kernels.BinaryEntropy(rate) * factor;
        var meanLoss = meanLossNats * factor;
        var (binned, ece) = bins.ToBins(weight.Value, exponent);
        return new CalibrationReport(
            MeanLoss: meanLoss,
            Unit: unit,
            Miscalibration: meanLoss - sRecalibrated,
            Discrimination: uncertainty - sRecalibrated,
            Uncertainty: uncertainty,
            Reliability: [.. scaledBlocks.Select(b => b with { Weight = Math.ScaleB(b.Weight, exponent) })],
            Bins: binned,
            ExpectedCalibrationError: ece);
    }

    /// <summary>The PAV blocks of rows in increasing forecast order: tied forecasts pooled into one point first.</summary>
    private static List<ReliabilityBlock> PoolTiedForecasts(ReadOnlySpan<double> forecasts, ReadOnlySpan<double> labels, ReadOnlySpan<double> weights)
    {
        var pool = new Pooler();
        for (var k = 0; k < forecasts.Length;)
        {
            var forecast = forecasts[k];
            double positive = 0, weight = 0;
            var start = k;
            for (; k < forecasts.Length && forecasts[k] == forecast; k++)
            {
                positive += weights[k] * labels[k];
                weight += weights[k];
            }

            pool.Push(new(forecast, forecast, positive, weight, k - start));
        }

        return pool.Blocks();
    }

    /// <summary>Pool-adjacent-violators over points pushed in increasing forecast order, until the block rates increase strictly.</summary>
    internal sealed class Pooler
    {
        private readonly List<PoolPoint> _stack = [];

        public void Push(PoolPoint point)
        {
            _stack.Add(point);
            while (_stack.Count > 1 && _stack[^2].Positive / _stack[^2].Weight >= _stack[^1].Positive / _stack[^1].Weight)
            {
                var (last, previous) = (_stack[^1], _stack[^2]);
                _stack.RemoveAt(_stack.Count - 1);
                _stack[^1] = new(previous.Min, last.Max, previous.Positive + last.Positive, previous.Weight + last.Weight, previous.Count + last.Count);
            }
        }

        public List<ReliabilityBlock> Blocks() =>
            [.. _stack.Select(b => new ReliabilityBlock(b.Min, b.Max, Math.Clamp(b.Positive / b.Weight, 0, 1), b.Count, b.Weight))];
    }

    /// <summary>Forecasts from <see cref="Min"/> to <see cref="Max"/> with their weighted positives, weight and rows, to be pooled.</summary>
    internal readonly record struct PoolPoint(double Min, double Max, double Positive, double Weight, long Count);

    /// <summary>The sums of equal-width bins, filled row by row or bucket by bucket.</summary>
    internal sealed class BinSums(int bins)
    {
        private readonly long[] _count = new long[bins];
        private readonly double[] _weight = new double[bins];
        private readonly double[] _forecast = new double[bins];
        private readonly double[] _positive = new double[bins];

        public void Add(int bin, long count, double weight, double forecast, double positive)
        {
            _count[bin] += count;
            _weight[bin] += weight;
            _forecast[bin] += forecast;
            _positive[bin] += positive;
        }

        /// <summary>The bins, weights reported times 2^<paramref name="exponent"/>, and the ECE against <paramref name="totalWeight"/> (scaled).</summary>
        public (List<ReliabilityBin> Bins, double Ece) ToBins(double totalWeight, int exponent)
        {
            var result = new List<ReliabilityBin>(_count.Length);
            var ece = 0.0;
            for (var b = 0; b < _count.Length; b++)
            {
                var (lower, upper) = Edges(b, _count.Length);
                var reported = Math.ScaleB(_weight[b], exponent);
                if (_weight[b] > 0)
                {
                    var meanForecast = _forecast[b] / _weight[b];
                    var observed = _positive[b] / _weight[b];
                    ece += _weight[b] / totalWeight * Math.Abs(observed - meanForecast);
                    result.Add(new ReliabilityBin(lower, upper, _count[b], reported, meanForecast, observed));
                }
                else
                {
                    result.Add(new ReliabilityBin(lower, upper, _count[b], reported, null, null));
                }
            }

            return (result, ece);
        }
    }

    /// <summary>The edges of bin <paramref name="b"/> of <paramref name="bins"/>: the doubles b/B and (b + 1)/B.</summary>
    internal static (double Lower, double Upper) Edges(int b, int bins) => ((double)b / bins, (double)(b + 1) / bins);

    /// <summary>
    /// The bin b with b/B ≤ f &lt; (b + 1)/B (the last bin also holds 1), decided by comparing f with those edge
    /// doubles: ⌊f·B⌋ is only a first guess, since f·B rounds (0.8999999999999999 · 10 is 9).
    /// </summary>
    internal static int BinOf(double forecast, int bins)
    {
        var b = Math.Clamp((int)(forecast * bins), 0, bins - 1);
        while (b > 0 && forecast < Edges(b, bins).Lower)
        {
            b--;
        }

        while (b < bins - 1 && forecast >= Edges(b, bins).Upper)
        {
            b++;
        }

        return b;
    }

    /// <summary>The weights wᵢ·2⁻ᵏ (1·2⁰ each when there are none).</summary>
    private readonly ref struct WeightScale(ReadOnlySpan<double> weights, int exponent)
    {
        private readonly ReadOnlySpan<double> _weights = weights;
        private readonly double _factor = Math.ScaleB(1.0, -exponent);

        public int Exponent { get; } = exponent;

        public double Of(int i) => _weights.IsEmpty ? 1.0 : _weights[i] * _factor;
    }
}
