using System.Buffers;
using System.Numerics.Tensors;

namespace LogLossApi.Scoring;

/// <summary>
/// Binary cross-entropy over samples that arrive in chunks: constant memory whatever N is, so a stream of rows
/// can be scored without holding it. <see cref="BinaryCrossEntropy.Evaluate"/> is one accumulator fed one chunk.
/// </summary>
/// <remarks>
/// Each chunk is processed in blocks of <see cref="BlockSize"/> samples with <see cref="TensorPrimitives"/>; block
/// sums are added with Neumaier compensation, and the dispersion behind the standard error is merged block by
/// block (Chan et al.'s pairwise update, generalised to weights w for the mean and w² for the dispersion), so
/// neither the mean nor the standard error loses precision as N grows.
/// <para>
/// Extreme scales are handled by powers of two, which are exact: weights are stored as wᵢ·2⁻ᵏ, with k following
/// the largest weight once it leaves [2⁻⁶⁴, 2⁶⁴], and loss sums as ℓᵢ·2⁻ᴸ, with L following the largest loss
/// once it leaves [2⁻²⁵⁶, 2²⁵⁶] (logits near the largest double, or tiny losses whose squares would underflow).
/// So no weighted sum or square overflows or underflows on the way, every figure is invariant under multiplying
/// all weights by a positive constant, and a figure is infinite in the report only when its true value is.
/// Ordinary inputs keep k = L = 0 and never pay for this.
/// </para>
/// </remarks>
public sealed class BinaryLogLossAccumulator
{
    /// <summary>Samples processed per vectorised block: small enough that every scratch buffer stays in cache.</summary>
    public const int BlockSize = 2048;

    private const int ScratchBuffers = 8;

    // Above it w₊·745 could leave the loss range the fused path assumes; such blocks take the general path.
    private const double FusedPositiveWeightLimit = 1e60;

    private readonly BinaryLossOptions _options;
    private readonly PredictionKind _kind;
    private readonly bool _weighted;

    // Everything the samples added so far sum up to; a chunk that fails its checks leaves it as it was.
    private Totals _totals;

    /// <summary>Starts an empty accumulation.</summary>
    /// <param name="options">Clip, unit, positive weight and label smoothing; checked here.</param>
    /// <param name="kind">Whether the predictions are probabilities or logits.</param>
    /// <param name="weighted">Whether every chunk carries weights; when false, every wᵢ is 1.</param>
    public BinaryLogLossAccumulator(BinaryLossOptions options, PredictionKind kind, bool weighted)
    {
        options.Validate();
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown prediction kind.");
        }

        _options = options;
        _kind = kind;
        _weighted = weighted;
    }

    /// <summary>Samples added so far.</summary>
    public long Count => _totals.Count;

    /// <summary>Whether the weights added so far sum to more than 0 (a report needs it).</summary>
    public bool HasMass => _totals.HasMass;

    /// <summary>
    /// Adds a chunk of samples and, when <paramref name="losses"/> is not empty, writes each sample's unweighted loss
    /// ℓᵢ = −(w₊tᵢ aᵢ + (1 − tᵢ) bᵢ) into it, in the options' unit.
    /// </summary>
    /// <param name="labels">yᵢ in [0, 1].</param>
    /// <param name="predictions">Probabilities in [0, 1] or finite logits.</param>
    /// <param name="weights">Finite wᵢ ≥ 0, as many as labels, when the accumulator is weighted; otherwise empty.</param>
    /// <param name="losses">Empty, or as long as <paramref name="labels"/>.</param>
    /// <exception cref="ArgumentException">A length or a value is outside its documented range.</exception>
    public void Add(ReadOnlySpan<double> labels, ReadOnlySpan<double> predictions, ReadOnlySpan<double> weights, Span<double> losses)
    {
        CheckLengths(labels, predictions, weights, losses);
        // Scratch sized to the chunk: a 100-sample request rents 600 values, not 12,288 (a large-object-heap array).
        var stride = Math.Max(1, Math.Min(BlockSize, labels.Length));
        var scratch = ArrayPool<double>.Shared.Rent(ScratchBuffers * stride);
        var before = _totals;
        try
        {
            // Each block's values are checked while the block is in cache, just before it is added.
            for (var start = 0; start < labels.Length; start += BlockSize)
            {
                var n = Math.Min(BlockSize, labels.Length - start);
                AddBlock(
                    labels.Slice(start, n),
                    predictions.Slice(start, n),
                    _weighted ? weights.Slice(start, n) : default,
                    losses.IsEmpty ? default : losses.Slice(start, n),
                    scratch,
                    stride);
            }
        }
        catch (ArgumentException)
        {
            _totals = before;
            throw;
        }
        finally
        {
            ArrayPool<double>.Shared.Return(scratch);
        }
    }

    /// <summary>
    /// Adds every sample <paramref name="other"/> has seen, as if its chunks had been added here: the report is then
    /// the report of both sets of rows (to rounding; sums stay compensated and the dispersion merges exactly).
    /// <paramref name="other"/> is left as it was.
    /// </summary>
    /// <exception cref="ArgumentException">The two were made with different options or prediction kinds.</exception>
    public void Merge(BinaryLogLossAccumulator other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other._options != _options || other._kind != _kind)
        {
            throw new ArgumentException("Only accumulations made with the same options and prediction kind can be merged.", nameof(other));
        }

        var theirs = other._totals;
        if (!_totals.HasMass)
        {
            // Nothing here carries weight (so no sum is non-zero): the other's totals and scale are taken whole.
            theirs.AddCounts(_totals);
            _totals = theirs;
            return;
        }

        _totals.AddCounts(theirs);
        if (theirs.HasMass)
        {
            Totals.Align(ref _totals, ref theirs);
            _totals.AddAligned(theirs);
        }
    }

    /// <summary>Everything the report follows from, in nats, to be merged elsewhere (<see cref="FromState"/>).</summary>
    public BinaryLogLossState ToState() => new(
        BinaryLogLossState.BinaryKind,
        LogLossState.CurrentVersion,
        _options.Epsilon,
        _options.PositiveWeight,
        _options.LabelSmoothing,
        StateRules.NameOf(_kind),
        _totals.Count,
        _totals.PositiveCount,
        _totals.NegativeCount,
        _totals.ClippedCount,
        _totals.WeightExponent,
        _totals.LossExponent,
        _totals.Weight.Parts,
        _totals.WeightedLoss.Parts,
        _totals.PositiveTarget.Parts,
        _totals.NegativeTarget.Parts,
        _totals.PositiveCrossEntropy.Parts,
        _totals.NegativeLoss.Parts,
        _totals.LabelEntropy.Parts,
        _totals.KlDivergence.Parts,
        _totals.Dispersion.ToState());

    /// <summary>
    /// An accumulation that continues from <paramref name="state"/>, reporting in <paramref name="unit"/>: its report
    /// is the report of the rows the state was made from.
    /// </summary>
    /// <exception cref="ArgumentException">The state has problems (<see cref="BinaryLogLossState.Problems"/>).</exception>
    public static BinaryLogLossAccumulator FromState(BinaryLogLossState state, LossUnit unit)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Problems() is [var first, ..])
        {
            throw new ArgumentException($"{first.Option}: {first.Message}", nameof(state));
        }

        var accumulator = new BinaryLogLossAccumulator(state.ToOptions() with { Unit = unit }, state.ToPredictionKind(), weighted: true);
        accumulator._totals = new Totals
        {
            Count = state.Count,
            PositiveCount = state.PositiveCount,
            NegativeCount = state.NegativeCount,
            ClippedCount = state.ClippedCount,
            WeightExponent = state.WeightExponent,
            LossExponent = state.LossExponent,
            Weight = CompensatedSum.Of(state.WeightSum),
            WeightedLoss = CompensatedSum.Of(state.LossSum),
            PositiveTarget = CompensatedSum.Of(state.PositiveTarget),
            NegativeTarget = CompensatedSum.Of(state.NegativeTarget),
            PositiveCrossEntropy = CompensatedSum.Of(state.PositiveCrossEntropy),
            NegativeLoss = CompensatedSum.Of(state.NegativeLoss),
            LabelEntropy = CompensatedSum.Of(state.LabelEntropy),
            KlDivergence = CompensatedSum.Of(state.KlDivergence),
            Dispersion = WeightedDispersion.Of(state.Dispersion),
        };
        return accumulator;
    }

    /// <summary>The report over every sample added so far, in the options' unit.</summary>
    /// <remarks>A figure whose true value is beyond the double range (a perplexity above e^709.78, say) is +∞.</remarks>
    /// <exception cref="InvalidOperationException">No sample was added, or the weights sum to 0.</exception>
    public BinaryLogLossReport ToReport() => ToReport(_options.Unit);

    /// <summary>The report in <paramref name="reportUnit"/>, whatever the options' unit (the sums are in nats).</summary>
    internal BinaryLogLossReport ToReport(LossUnit reportUnit)
    {
        if (_totals.Count == 0)
        {
            throw new InvalidOperationException("At least one sample is needed.");
        }

        // Scaled totals: weights in units of 2ᵏ, weighted losses in units of 2ᵏ⁺ᴸ; ratios of them in units of 2ᴸ.
        var weight = _totals.Weight.Value;
        if (!(weight > 0))
        {
            throw new InvalidOperationException("The weights must sum to more than 0.");
        }

        var k = _totals.WeightExponent;
        var l = _totals.LossExponent;
        var unit = reportUnit.FromNats();
        var positiveTarget = _totals.PositiveTarget.Value;
        var negativeTarget = _totals.NegativeTarget.Value;

        var crossEntropy = Math.ScaleB((_totals.PositiveCrossEntropy.Value + _totals.NegativeLoss.Value) / weight, l);
        // Σw·t and Σw are summed apart: with every target 1 they can come out an ulp apart after merges, and a base rate
        // an ulp above 1 has no entropy (log1p(−t) of t > 1); in real arithmetic it lies in [0, 1].
        var baseRate = Math.Clamp(positiveTarget / weight, 0, 1);
        var baseRateEntropy = Kernels.BinaryEntropy(baseRate);
        double? standardError = _totals.Count > 1
            ? Math.ScaleB(Math.Sqrt(_totals.Count / (_totals.Count - 1.0) * _totals.Dispersion.S) / weight, l) * unit
            : null;

        return new BinaryLogLossReport(
            Count: _totals.Count,
            WeightSum: Math.ScaleB(weight, k),
            MeanLoss: Math.ScaleB(_totals.WeightedLoss.Value / weight, l) * unit,
            SumLoss: Math.ScaleB(_totals.WeightedLoss.Value, k + l) * unit,
            Unit: reportUnit,
            ClippedCount: _totals.ClippedCount,
            StandardError: standardError,
            Positive: Breakdown(_totals.PositiveCount, positiveTarget, _totals.PositiveCrossEntropy.Value * _options.PositiveWeight, k, l, unit),
            Negative: Breakdown(_totals.NegativeCount, negativeTarget, _totals.NegativeLoss.Value, k, l, unit),
            Entropy: new EntropyBreakdown(
                CrossEntropy: crossEntropy * unit,
                LabelEntropy: _totals.LabelEntropy.Value / weight * unit,
                KlDivergence: Math.ScaleB(_totals.KlDivergence.Value / weight, l) * unit,
                BaseRate: baseRate,
                BaseRateEntropy: baseRateEntropy * unit,
                InformationGain: (baseRateEntropy - crossEntropy) * unit,
                NormalizedEntropy: baseRateEntropy == 0 ? null : crossEntropy / baseRateEntropy,
                Perplexity: Math.Exp(crossEntropy)));
    }

    private static ClassBreakdown Breakdown(long count, double weight, double lossSum, int k, int l, double unit) =>
        new(count, Math.ScaleB(weight, k), Math.ScaleB(lossSum, k + l) * unit, weight == 0 ? null : Math.ScaleB(lossSum / weight, l) * unit);

    private void CheckLengths(ReadOnlySpan<double> labels, ReadOnlySpan<double> predictions, ReadOnlySpan<double> weights, Span<double> losses)
    {
        if (predictions.Length != labels.Length)
        {
            throw new ArgumentException("There must be one prediction per label.", nameof(predictions));
        }

        if (_weighted ? weights.Length != labels.Length : !weights.IsEmpty)
        {
            throw new ArgumentException(_weighted ? "There must be one weight per label." : "This accumulator is unweighted.", nameof(weights));
        }

        if (!losses.IsEmpty && losses.Length != labels.Length)
        {
            throw new ArgumentException("The losses span must be empty or as long as the labels.", nameof(losses));
        }
    }

    /// <summary>The range checks of one block; <paramref name="hardLabels"/> says the labels are already known to be 0 or 1. Returns the largest weight.</summary>
    private double CheckValues(ReadOnlySpan<double> labels, ReadOnlySpan<double> predictions, ReadOnlySpan<double> weights, bool hardLabels)
    {
        // Min and Max propagate NaN, so these range checks also reject NaN.
        if (!hardLabels && !(TensorPrimitives.Min(labels) >= 0 && TensorPrimitives.Max(labels) <= 1))
        {
            throw new ArgumentException("Every label must be in [0, 1].", nameof(labels));
        }

        var predictionsValid = _kind == PredictionKind.Probabilities
            ? TensorPrimitives.Min(predictions) >= 0 && TensorPrimitives.Max(predictions) <= 1
            : double.IsFinite(TensorPrimitives.MaxMagnitude(predictions));
        if (!predictionsValid)
        {
            throw new ArgumentException(_kind == PredictionKind.Probabilities ? "Every probability must be in [0, 1]." : "Every logit must be finite.", nameof(predictions));
        }

        return CheckWeights(weights);
    }

    /// <summary>Checks the block's weights and returns the largest (1 when unweighted).</summary>
    private double CheckWeights(ReadOnlySpan<double> weights)
    {
        if (!_weighted)
        {
            return 1.0;
        }

        var max = TensorPrimitives.Max(weights);
        if (!(TensorPrimitives.Min(weights) >= 0 && double.IsFinite(max)))
        {
            throw new ArgumentException("Every weight must be finite and ≥ 0.", nameof(weights));
        }

        return max;
    }

    /// <summary>Settles the weight exponent k for a block whose largest weight is <paramref name="maxWeight"/>; see <see cref="Settle"/>.</summary>
    private int AdoptWeightExponent(double maxWeight)
    {
        if (Settle(Kernels.ScaleExponent(maxWeight, Kernels.WeightScaleLimit), ref _totals.WeightExponent) is { } shift)
        {
            _totals.ScaleWeights(shift);
        }

        return _totals.WeightExponent;
    }

    /// <summary>Settles the loss exponent L for a block whose largest loss is <paramref name="maxLoss"/>; see <see cref="Settle"/>.</summary>
    private int AdoptLossExponent(double maxLoss)
    {
        if (Settle(Kernels.ScaleExponent(maxLoss, Kernels.ValueScaleLimit), ref _totals.LossExponent) is { } shift)
        {
            _totals.ScaleLosses(shift);
        }

        return _totals.LossExponent;
    }

    /// <summary>
    /// The first block with weight sets an exponent; a later block that needs a larger one raises it, and the totals
    /// must then be multiplied by 2^(returned shift); one that needs a smaller one keeps it (its values are negligible
    /// beside the totals', or the totals are empty). Returns null when the totals stay as they are.
    /// </summary>
    private int? Settle(int needed, ref int exponent)
    {
        if (!_totals.HasMass)
        {
            exponent = needed;
            return null;
        }

        if (needed <= exponent)
        {
            return null;
        }

        var shift = exponent - needed;
        exponent = needed;
        return shift;
    }

    private void AddBlock(ReadOnlySpan<double> labels, ReadOnlySpan<double> predictions, ReadOnlySpan<double> weights, Span<double> losses, double[] scratch, int stride)
    {
        var n = labels.Length;
        if (_kind == PredictionKind.Probabilities && _options.LabelSmoothing == 0
            && _options.PositiveWeight <= FusedPositiveWeightLimit && _totals.LossExponent == 0)
        {
            // One pass that is worth its cost only when the labels turn out to be 0 or 1, the common case.
            var scan = Kernels.TrueClassArguments(labels, predictions, _options.Epsilon, scratch.AsSpan(0, n));
            if (scan.Zeros + scan.Ones == n)
            {
                if (!scan.PredictionsInRange)
                {
                    throw new ArgumentException("Every probability must be in [0, 1].", nameof(predictions));
                }

                // Losses here are at most w₊·745, so only weights far from 1 call for the general path's scaling.
                if (AdoptWeightExponent(CheckWeights(weights)) == 0)
                {
                    _totals.Count += n;
                    _totals.PositiveCount += scan.Ones;
                    _totals.NegativeCount += scan.Zeros;
                    _totals.ClippedCount += scan.Clipped;
                    AddHardProbabilityBlock(labels, predictions, weights, losses, scratch.AsSpan(0, n), scratch.AsSpan(stride, n));
                    return;
                }
            }
        }

        var (zeros, ones) = Kernels.CountZerosAndOnes(labels);
        var hardLabels = zeros + ones == n;
        var maxWeight = CheckValues(labels, predictions, weights, hardLabels);
        _totals.Count += n;
        _totals.PositiveCount += ones;
        _totals.NegativeCount += zeros;

        var buffers = scratch.AsSpan();
        var targets = buffers.Slice(0 * stride, n);
        var logP = buffers.Slice(1 * stride, n);
        var logQ = buffers.Slice(2 * stride, n);
        var positive = buffers.Slice(3 * stride, n);
        var negative = buffers.Slice(4 * stride, n);
        var work = buffers.Slice(5 * stride, n);

        var weightExponent = AdoptWeightExponent(maxWeight);
        if (weightExponent != 0)
        {
            var scaled = buffers.Slice(6 * stride, n);
            TensorPrimitives.Multiply(weights, Math.ScaleB(1.0, -weightExponent), scaled);
            weights = scaled;
        }

        var smoothing = _options.LabelSmoothing;
        ReadOnlySpan<double> t = labels;
        if (smoothing > 0)
        {
            TensorPrimitives.Multiply(labels, 1.0 - smoothing, targets);
            TensorPrimitives.Add(targets, smoothing / 2.0, targets);
            t = targets;
        }

        if (_kind == PredictionKind.Probabilities)
        {
            var epsilon = _options.Epsilon;
            _totals.ClippedCount += Kernels.CountOutside(predictions, epsilon, 1.0 - epsilon);
            TensorPrimitives.Max(predictions, epsilon, work);
            TensorPrimitives.Min(work, 1.0 - epsilon, work);
            TensorPrimitives.Log(work, logP);
            TensorPrimitives.Negate(work, work);
            Kernels.Log1P(work, logQ);

            // A forecast clipped at 1 − ε scores exactly −ln ε, whatever fl(1 − ε) rounded to (for ε below 2⁻⁵³ it is
            // 1, and ln(1 − p′) would be −∞); below the top 1 − p′ > ε holds exactly. work holds −p′.
            var upper = 1.0 - epsilon;
            var logEpsilon = Math.Log(epsilon);
            for (var i = 0; i < n; i++)
            {
                if (-work[i] >= upper)
                {
                    logQ[i] = logEpsilon;
                }
            }
        }
        else
        {
            Kernels.LogSigmoidPair(predictions, logP, logQ, work);
        }

        // positiveᵢ = −tᵢaᵢ, negativeᵢ = −(1 − tᵢ)bᵢ; both ≥ 0 and finite, since a and b are.
        TensorPrimitives.Multiply(t, logP, positive);
        TensorPrimitives.Negate(positive, positive);
        TensorPrimitives.Subtract(1.0, t, work);
        TensorPrimitives.Multiply(work, logQ, negative);
        TensorPrimitives.Negate(negative, negative);

        // ℓᵢ in nats, written out before any scaling; it is +∞ only where w₊·(−tᵢaᵢ) is beyond the double range.
        var loss = buffers.Slice(7 * stride, n);
        TensorPrimitives.Multiply(positive, _options.PositiveWeight, loss);
        TensorPrimitives.Add(loss, negative, loss);
        if (!losses.IsEmpty)
        {
            TensorPrimitives.Multiply(loss, _options.Unit.FromNats(), losses);
        }

        var lossExponent = AdoptLossExponent(TensorPrimitives.Max(loss));
        var lossScale = Math.ScaleB(1.0, -lossExponent);
        if (lossExponent != 0)
        {
            TensorPrimitives.Multiply(positive, lossScale, positive);
            TensorPrimitives.Multiply(negative, lossScale, negative);
            TensorPrimitives.Multiply(loss, lossScale, loss);
        }

        hardLabels &= smoothing == 0;
        var blockWeight = weights.IsEmpty ? n : TensorPrimitives.Sum(weights);
        _totals.Weight.Add(blockWeight);
        _totals.PositiveTarget.Add(WeightedSum(weights, t));
        _totals.NegativeTarget.Add(WeightedSum(weights, work));
        var crossEntropyPositive = WeightedSum(weights, positive);
        var positiveSum = crossEntropyPositive * _options.PositiveWeight;
        var negativeSum = WeightedSum(weights, negative);
        var blockLoss = positiveSum + negativeSum;
        _totals.PositiveCrossEntropy.Add(crossEntropyPositive);
        _totals.NegativeLoss.Add(negativeSum);
        if (hardLabels)
        {
            // H(0) = H(1) = 0, so the divergence is the whole cross-entropy.
            _totals.KlDivergence.Add(crossEntropyPositive + negativeSum);
        }
        else
        {
            AddSoftLabelEntropy(t, logP, logQ, weights, lossScale);
        }

        _totals.WeightedLoss.Add(blockLoss);
        _totals.Dispersion.Merge(WeightedDispersion.Of(loss, weights, blockWeight, blockLoss));
    }

    /// <summary>
    /// The common case, labels 0 or 1 and probabilities without smoothing, in four passes over the block (the first,
    /// <see cref="Kernels.TrueClassArguments"/>, is done by the caller, which also checks the values): only the
    /// true class's log-probability is taken (ln p′ where y = 1, ln(1 − p′) through Goldberg's log1p where y = 0),
    /// so one vectorised logarithm serves both classes, and the losses, the class sums and the dispersion come from
    /// fused loops. Same figures as the general path.
    /// </summary>
    /// <param name="labels">The block's labels, each 0 or 1.</param>
    /// <param name="predictions">The block's probabilities, checked.</param>
    /// <param name="weights">The block's weights, checked, or empty.</param>
    /// <param name="losses">Receives the losses in the options' unit, or empty.</param>
    /// <param name="logs">Holds the arguments of <see cref="Kernels.TrueClassArguments"/>; overwritten with their logarithms.</param>
    /// <param name="scratchLoss">Room for the losses in nats when <paramref name="losses"/> cannot take them.</param>
    private void AddHardProbabilityBlock(ReadOnlySpan<double> labels, ReadOnlySpan<double> predictions, ReadOnlySpan<double> weights, Span<double> losses, Span<double> logs, Span<double> scratchLoss)
    {
        var epsilon = _options.Epsilon;
        TensorPrimitives.Log(logs, logs);

        var unit = _options.Unit.FromNats();
        var loss = losses.IsEmpty || unit != 1.0 ? scratchLoss : losses;
        var sums = Kernels.HardLabelLosses(labels, predictions, weights, logs, epsilon, _options.PositiveWeight, loss);

        var blockWeight = sums.Weight;
        _totals.Weight.Add(blockWeight);
        _totals.PositiveTarget.Add(sums.PositiveWeight);
        _totals.NegativeTarget.Add(sums.NegativeWeight);
        var positiveSum = sums.PositiveCrossEntropy * _options.PositiveWeight;
        _totals.PositiveCrossEntropy.Add(sums.PositiveCrossEntropy);
        _totals.NegativeLoss.Add(sums.NegativeLoss);

        // H(0) = H(1) = 0, so the divergence is the whole cross-entropy.
        _totals.KlDivergence.Add(sums.PositiveCrossEntropy + sums.NegativeLoss);
        var blockLoss = positiveSum + sums.NegativeLoss;
        _totals.WeightedLoss.Add(blockLoss);
        _totals.Dispersion.Merge(WeightedDispersion.Of(loss, weights, blockWeight, blockLoss));

        if (!losses.IsEmpty && unit != 1.0)
        {
            TensorPrimitives.Multiply(loss, unit, losses);
        }
    }

    /// <summary>Adds Σwᵢ H(tᵢ) (in weight units) and Σwᵢ KL(tᵢ ‖ pᵢ) (in loss units: each term times <paramref name="lossScale"/>).</summary>
    private void AddSoftLabelEntropy(ReadOnlySpan<double> t, ReadOnlySpan<double> logP, ReadOnlySpan<double> logQ, ReadOnlySpan<double> weights, double lossScale)
    {
        double entropy = 0, divergence = 0;
        for (var i = 0; i < t.Length; i++)
        {
            var ti = t[i];
            var w = weights.IsEmpty ? 1.0 : weights[i];

            // KL(t ‖ p) = t(ln t − a) + (1 − t)(ln(1 − t) − b), each term taken as 0 where its weight t or 1 − t is 0.
            var lnT = ti > 0 ? Math.Log(ti) : 0.0;
            var ln1MinusT = ti < 1 ? Kernels.Log1P(-ti) : 0.0;
            entropy += w * -((ti * lnT) + ((1.0 - ti) * ln1MinusT));
            divergence += w * (((ti > 0 ? ti * (lnT - logP[i]) : 0.0) + (ti < 1 ? (1.0 - ti) * (ln1MinusT - logQ[i]) : 0.0)) * lossScale);
        }

        _totals.LabelEntropy.Add(entropy);
        _totals.KlDivergence.Add(divergence);
    }

    private static double WeightedSum(ReadOnlySpan<double> weights, ReadOnlySpan<double> values) =>
        weights.IsEmpty ? TensorPrimitives.Sum(values) : TensorPrimitives.Dot(weights, values);

    /// <summary>The running sums, kept together so that a chunk that fails its checks can be taken back whole.</summary>
    private struct Totals
    {
        public long Count;
        public long PositiveCount;
        public long NegativeCount;
        public long ClippedCount;
        public CompensatedSum Weight;
        public CompensatedSum WeightedLoss;
        public CompensatedSum PositiveTarget;
        public CompensatedSum NegativeTarget;
        // Σwᵢ(−tᵢaᵢ), the positive term without w₊ (the positive loss sum is this times w₊).
        public CompensatedSum PositiveCrossEntropy;
        public CompensatedSum NegativeLoss;
        public CompensatedSum LabelEntropy;
        public CompensatedSum KlDivergence;

        // Sums of weights are stored times 2⁻ᵏ, sums of weighted losses times 2⁻⁽ᵏ⁺ᴸ⁾; both set by the first block with weight.
        public int WeightExponent;
        public int LossExponent;

        // Running dispersion of the losses about their weighted mean.
        public WeightedDispersion Dispersion;

        /// <summary>Whether any block with weight has been added: until then the exponents are not settled.</summary>
        public readonly bool HasMass => Weight.Value > 0;

        /// <summary>Multiplies every weight by 2^<paramref name="exponent"/> (squares by its square).</summary>
        public void ScaleWeights(int exponent)
        {
            Weight.ScaleB(exponent);
            PositiveTarget.ScaleB(exponent);
            NegativeTarget.ScaleB(exponent);
            LabelEntropy.ScaleB(exponent);
            ScaleWeightedLosses(exponent);
            Dispersion.ScaleWeights(exponent);
        }

        /// <summary>Multiplies every loss by 2^<paramref name="exponent"/>.</summary>
        public void ScaleLosses(int exponent)
        {
            ScaleWeightedLosses(exponent);
            Dispersion.ScaleValues(exponent);
        }

        /// <summary>Brings both totals to the larger of their exponents (exact: powers of two), so their sums can be added.</summary>
        public static void Align(ref Totals a, ref Totals b)
        {
            var k = Math.Max(a.WeightExponent, b.WeightExponent);
            var l = Math.Max(a.LossExponent, b.LossExponent);
            a.ScaleWeights(a.WeightExponent - k);
            b.ScaleWeights(b.WeightExponent - k);
            a.ScaleLosses(a.LossExponent - l);
            b.ScaleLosses(b.LossExponent - l);
            (a.WeightExponent, a.LossExponent, b.WeightExponent, b.LossExponent) = (k, l, k, l);
        }

        /// <summary>Adds totals on the same scale (see <see cref="Align"/>).</summary>
        public void AddAligned(in Totals other)
        {
            Weight.Add(other.Weight);
            WeightedLoss.Add(other.WeightedLoss);
            PositiveTarget.Add(other.PositiveTarget);
            NegativeTarget.Add(other.NegativeTarget);
            PositiveCrossEntropy.Add(other.PositiveCrossEntropy);
            NegativeLoss.Add(other.NegativeLoss);
            LabelEntropy.Add(other.LabelEntropy);
            KlDivergence.Add(other.KlDivergence);
            Dispersion.Merge(other.Dispersion);
        }

        public void AddCounts(in Totals other)
        {
            Count += other.Count;
            PositiveCount += other.PositiveCount;
            NegativeCount += other.NegativeCount;
            ClippedCount += other.ClippedCount;
        }

        private void ScaleWeightedLosses(int exponent)
        {
            WeightedLoss.ScaleB(exponent);
            PositiveCrossEntropy.ScaleB(exponent);
            NegativeLoss.ScaleB(exponent);
            KlDivergence.ScaleB(exponent);
        }
    }
}
