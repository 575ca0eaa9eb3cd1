using System.Buffers;

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
    public static CalibrationReport Evaluate(in BinaryInput input, int bins)
    {
        OptionProblem.ThrowIfAny(BinsProblems(bins));

        foreach (var label in input.Labels)
        {
            if (label is not (0.0 or 1.0))
            {
                throw new ArgumentException("Calibration needs hard labels: every label must be 0 or 1.", nameof(input));
            }
        }

        var scored = BinaryCrossEntropy.Evaluate(input, default);
        var n = input.Labels.Length;
        var forecasts = ArrayPool<double>.Shared.Rent(n);
        var order = ArrayPool<int>.Shared.Rent(n);
        try
        {
            var p = forecasts.AsSpan(0, n);
            var kept = 0;
            for (var i = 0; i < n; i++)
            {
                var w = input.Weights.IsEmpty ? 1.0 : input.Weights[i];
                p[i] = BinaryCrossEntropy.ProbabilityOf(input.Predictions[i], input.Kind);
                if (w > 0)
                {
                    order[kept++] = i;
                }
            }

            var sorted = order.AsSpan(0, kept);
            var keys = ArrayPool<double>.Shared.Rent(kept);
            for (var j = 0; j < kept; j++)
            {
                keys[j] = p[sorted[j]];
            }

            keys.AsSpan(0, kept).Sort(sorted);
            ArrayPool<double>.Shared.Return(keys);

            // Weights far from 1 are summed as wᵢ·2⁻ᵏ (exact) so that no block or bin sum overflows; reported unscaled.
            var exponent = Kernels.WeightExponent(input.Weights);
            var scale = new WeightScale(input.Weights, exponent);
            var scaledBlocks = Pool(sorted, p, input.Labels, scale);
            var weight = scaledBlocks.Sum(b => b.Weight);
            var rate = scored.Entropy.BaseRate;
            var unit = input.Options.Unit.FromNats();
            var recalibrated = default(CompensatedSum);
            foreach (var block in scaledBlocks)
            {
                recalibrated.Add(block.Weight * Kernels.BinaryEntropy(block.CalibratedProbability));
            }

            var sRecalibrated = recalibrated.Value / weight * unit;
            var uncertainty = Kernels.BinaryEntropy(rate) * unit;
            var binned = Bin(sorted, p, input.Labels, scale, bins, weight);
            return new CalibrationReport(
                MeanLoss: scored.MeanLoss,
                Unit: input.Options.Unit,
                Miscalibration: scored.MeanLoss - sRecalibrated,
                Discrimination: uncertainty - sRecalibrated,
                Uncertainty: uncertainty,
                Reliability: [.. scaledBlocks.Select(b => b with { Weight = Math.ScaleB(b.Weight, exponent) })],
                Bins: binned.Bins,
                ExpectedCalibrationError: binned.Ece);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(forecasts);
            ArrayPool<int>.Shared.Return(order);
        }
    }

    /// <summary>Ties pooled first, then pool-adjacent-violators until the block rates increase strictly.</summary>
    private static List<ReliabilityBlock> Pool(ReadOnlySpan<int> sorted, ReadOnlySpan<double> p, ReadOnlySpan<double> labels, WeightScale scale)
    {
        var stack = new List<(double Min, double Max, double Positive, double Weight, long Count)>();
        for (var k = 0; k < sorted.Length;)
        {
            var forecast = p[sorted[k]];
            double positive = 0, weight = 0;
            long count = 0;
            for (; k < sorted.Length && p[sorted[k]] == forecast; k++)
            {
                var i = sorted[k];
                var w = scale.Of(i);
                positive += w * labels[i];
                weight += w;
                count++;
            }

            stack.Add((forecast, forecast, positive, weight, count));
            while (stack.Count > 1 && stack[^2].Positive / stack[^2].Weight >= stack[^1].Positive / stack[^1].Weight)
            {
                var (last, previous) = (stack[^1], stack[^2]);
                stack.RemoveAt(stack.Count - 1);
                stack[^1] = (previous.Min, last.Max, previous.Positive + last.Positive, previous.Weight + last.Weight, previous.Count + last.Count);
            }
        }

        return [.. stack.Select(b => new ReliabilityBlock(b.Min, b.Max, Math.Clamp(b.Positive / b.Weight, 0, 1), b.Count, b.Weight))];
    }

    private static (List<ReliabilityBin> Bins, double Ece) Bin(ReadOnlySpan<int> sorted, ReadOnlySpan<double> p, ReadOnlySpan<double> labels, WeightScale scale, int bins, double totalWeight)
    {
        var count = new long[bins];
        var weight = new double[bins];
        var forecast = new double[bins];
        var positive = new double[bins];
        foreach (var i in sorted)
        {
            var b = BinOf(p[i], bins);
            var w = scale.Of(i);
            count[b]++;
            weight[b] += w;
            forecast[b] += w * p[i];
            positive[b] += w * labels[i];
        }

        var result = new List<ReliabilityBin>(bins);
        var ece = 0.0;
        for (var b = 0; b < bins; b++)
        {
            var (lower, upper) = Edges(b, bins);
            var reported = Math.ScaleB(weight[b], scale.Exponent);
            if (weight[b] > 0)
            {
                var meanForecast = forecast[b] / weight[b];
                var observed = positive[b] / weight[b];
                ece += weight[b] / totalWeight * Math.Abs(observed - meanForecast);
                result.Add(new ReliabilityBin(lower, upper, count[b], reported, meanForecast, observed));
            }
            else
            {
                result.Add(new ReliabilityBin(lower, upper, count[b], reported, null, null));
            }
        }

        return (result, ece);
    }

    /// <summary>The edges of bin <paramref name="b"/> of <paramref name="bins"/>: the doubles b/B and (b + 1)/B.</summary>
    private static (double Lower, double Upper) Edges(int b, int bins) => ((double)b / bins, (double)(b + 1) / bins);

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
