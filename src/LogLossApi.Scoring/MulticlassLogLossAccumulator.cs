using System.Buffers;
using System.Numerics.Tensors;

namespace LogLossApi.Scoring;

/// <summary>
/// Categorical cross-entropy over rows that arrive in chunks, in memory that grows with C, not N; accumulations of
/// disjoint rows merge (<see cref="Merge"/>) into the accumulation of all of them. See <see cref="MulticlassCrossEntropy"/>
/// for the formulas.
/// </summary>
public sealed class MulticlassLogLossAccumulator
{
    private const int BlockSize = BinaryLogLossAccumulator.BlockSize;

    private readonly MulticlassLossOptions _options;
    private readonly int _classes;
    private readonly PredictionKind _kind;
    private readonly bool _weighted;
    private readonly long[] _classCount;

    // Per true class Σwᵢ and Σwᵢℓᵢ, on the scale of _moments (2⁻ᵏ and 2⁻⁽ᵏ⁺ᴸ⁾).
    private readonly CompensatedSum[] _classWeight;
    private readonly CompensatedSum[] _classLoss;
    private ScaledMoments _moments;
    private long _clipped;

    /// <summary>Starts an empty accumulation.</summary>
    /// <param name="options">Clip, unit, label smoothing, renormalization; checked here.</param>
    /// <param name="classes">C ≥ 2.</param>
    /// <param name="kind">Whether the predictions are probabilities or logits.</param>
    /// <param name="weighted">Whether every chunk carries weights; when false, every wᵢ is 1.</param>
    public MulticlassLogLossAccumulator(MulticlassLossOptions options, int classes, PredictionKind kind, bool weighted)
    {
        options.Validate();
        if (classes < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(classes), classes, "There must be at least two classes.");
        }

        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown prediction kind.");
        }

        (_options, _classes, _kind, _weighted) = (options, classes, kind, weighted);
        _classCount = new long[classes];
        _classWeight = new CompensatedSum[classes];
        _classLoss = new CompensatedSum[classes];
    }

    /// <summary>Rows added so far.</summary>
    public long Count => _moments.Count;

    /// <summary>
    /// Adds a chunk of rows and, when <paramref name="losses"/> is not empty, writes each row's unweighted loss into it,
    /// in the options' unit.
    /// </summary>
    /// <param name="labels">yᵢ in 0 … C − 1.</param>
    /// <param name="predictions">labels.Length × C probabilities or finite logits, row-major.</param>
    /// <param name="weights">Finite wᵢ ≥ 0, as many as labels, when the accumulator is weighted; otherwise empty.</param>
    /// <param name="losses">Empty, or as long as <paramref name="labels"/>.</param>
    /// <exception cref="ArgumentException">A length or a label is outside its documented range; nothing is added then.</exception>
    public void Add(ReadOnlySpan<int> labels, ReadOnlySpan<double> predictions, ReadOnlySpan<double> weights, Span<double> losses)
    {
        Check(labels, predictions, weights, losses);
        var c = _classes;
        var stride = Math.Max(1, Math.Min(BlockSize, labels.Length));
        var scratch = ArrayPool<double>.Shared.Rent((3 * stride) + c);
        var blockWeight = new CompensatedSum[c];
        var blockLoss = new CompensatedSum[c];
        try
        {
            var off = _options.LabelSmoothing / c;
            var on = 1.0 - _options.LabelSmoothing + off;
            for (var start = 0; start < labels.Length; start += BlockSize)
            {
                var n = Math.Min(BlockSize, labels.Length - start);
                var y = labels.Slice(start, n);
                var nats = losses.IsEmpty ? scratch.AsSpan(0, n) : losses.Slice(start, n);
                var log = scratch.AsSpan(3 * stride, c);
                for (var i = 0; i < n; i++)
                {
                    var row = predictions.Slice((start + i) * c, c);
                    _clipped += _kind == PredictionKind.Logits ? LogSoftmax(row, log) : LogProbabilities(row, log, _options);
                    nats[i] = off == 0 ? -log[y[i]] : -(off * TensorPrimitives.Sum(log)) - ((on - off) * log[y[i]]);
                    _classCount[y[i]]++;
                }

                AddBlock(y, nats, _weighted ? weights.Slice(start, n) : default, scratch.AsSpan(stride, n), scratch.AsSpan(2 * stride, n), blockWeight, blockLoss);
            }

            var unit = _options.Unit.FromNats();
            if (!losses.IsEmpty && unit != 1.0)
            {
                TensorPrimitives.Multiply(losses, unit, losses);
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(scratch);
        }
    }

    /// <summary>Adds every row <paramref name="other"/> has seen; it is left as it was.</summary>
    /// <exception cref="ArgumentException">The two were made with different options, class counts or prediction kinds.</exception>
    public void Merge(MulticlassLogLossAccumulator other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other._options != _options || other._classes != _classes || other._kind != _kind)
        {
            throw new ArgumentException("Only accumulations made with the same options, classes and prediction kind can be merged.", nameof(other));
        }

        for (var k = 0; k < _classes; k++)
        {
            _classCount[k] += other._classCount[k];
        }

        _clipped += other._clipped;
        MergeMoments(other._moments, other._classWeight, other._classLoss);
    }

    /// <summary>Everything the report follows from, in nats, with the classes' names (or none), to be merged elsewhere.</summary>
    public MulticlassLogLossState ToState(IReadOnlyList<string>? classNames) => new(
        MulticlassLogLossState.MulticlassKind,
        LogLossState.CurrentVersion,
        _options.Epsilon,
        _options.LabelSmoothing,
        _options.Renormalize,
        StateRules.NameOf(_kind),
        _classes,
        classNames is null ? null : [.. classNames],
        _clipped,
        _moments.ToState(),
        [.. Enumerable.Range(0, _classes).Select(c => new MulticlassClassState(_classCount[c], _classWeight[c].Parts, _classLoss[c].Parts))]);

    /// <summary>An accumulation that continues from <paramref name="state"/>, reporting in <paramref name="unit"/>.</summary>
    /// <exception cref="ArgumentException">The state has problems (<see cref="MulticlassLogLossState.Problems"/>).</exception>
    public static MulticlassLogLossAccumulator FromState(MulticlassLogLossState state, LossUnit unit)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Problems() is [var first, ..])
        {
            throw new ArgumentException($"{first.Option}: {first.Message}", nameof(state));
        }

        var accumulator = new MulticlassLogLossAccumulator(state.ToOptions() with { Unit = unit }, state.ClassCount, StateRules.KindOf(state.Predictions), weighted: true)
        {
            _moments = ScaledMoments.Of(state.Moments),
            _clipped = state.ClippedCount,
        };
        for (var c = 0; c < state.ClassCount; c++)
        {
            accumulator._classCount[c] = state.Classes[c].Count;
            accumulator._classWeight[c] = CompensatedSum.Of(state.Classes[c].Weight);
            accumulator._classLoss[c] = CompensatedSum.Of(state.Classes[c].LossSum);
        }

        return accumulator;
    }

    /// <summary>Whether the weights added so far sum to more than 0 (a report needs it).</summary>
    public bool HasMass => _moments.HasMass;

    /// <summary>The report over every row added so far, in the options' unit.</summary>
    /// <exception cref="InvalidOperationException">No row was added, or the weights sum to 0.</exception>
    public MulticlassLogLossReport ToReport()
    {
        if (_moments.Count == 0)
        {
            throw new InvalidOperationException("At least one sample is needed.");
        }

        if (!_moments.HasMass)
        {
            throw new InvalidOperationException("The weights must sum to more than 0.");
        }

        var c = _classes;
        var moments = _moments.ToMoments();
        var mean = moments.Mean;
        var off = _options.LabelSmoothing / c;
        var on = 1.0 - _options.LabelSmoothing + off;

        // Every sample's target row has the same entropy, so Σwᵢ H(Tᵢ) / W is that entropy.
        var h = -Kernels.XLogX(on) - ((c - 1) * Kernels.XLogX(off));
        var unit = _options.Unit.FromNats();
        var (k, l) = (moments.WeightExponent, moments.ValueExponent);
        var classes = new ClassBreakdown[c];

        // q_c = Σwᵢ T_ic / W = off + (on − off) · (share of the weight in class c), from the scaled sums: finite even when W is
        // not. The shares divide by the sum of the class sums, not by the moments' own W (the same weights summed apart, an
        // ulp away after merges): then one class's share is exactly 1 and H(q) exactly 0, never −1e-17 (which made
        // normalizedEntropy −5e15).
        var total = 0.0;
        for (var j = 0; j < c; j++)
        {
            total += _classWeight[j].Value;
        }

        var q = new double[c];
        var classEntropy = 0.0;
        for (var j = 0; j < c; j++)
        {
            var weight = _classWeight[j].Value;
            var loss = _classLoss[j].Value;
            classes[j] = new ClassBreakdown(
                _classCount[j],
                Math.ScaleB(weight, k),
                Math.ScaleB(loss, k + l) * unit,
                weight == 0 ? null : Math.ScaleB(loss / weight, l) * unit);
            q[j] = off + ((on - off) * (weight / total));
            classEntropy -= Kernels.XLogX(q[j]);
        }

        // Shares that sum to 1 within rounding can still leave H(q) an ulp below 0.
        classEntropy = Math.Max(0, classEntropy);

        return new MulticlassLogLossReport(
            Count: _moments.Count,
            ClassCount: c,
            WeightSum: moments.WeightSum,
            MeanLoss: mean * unit,
            SumLoss: moments.Sum * unit,
            Unit: _options.Unit,
            ClippedCount: _clipped,
            StandardError: moments.StandardError * unit,
            Classes: classes,
            Entropy: new MulticlassEntropy(
                CrossEntropy: mean * unit,
                LabelEntropy: h * unit,
                KlDivergence: (mean - h) * unit,
                ClassDistribution: q,
                ClassEntropy: classEntropy * unit,
                InformationGain: (classEntropy - mean) * unit,
                NormalizedEntropy: classEntropy == 0 ? null : mean / classEntropy,
                Perplexity: Math.Exp(mean)));
    }

    /// <summary>One block's moments and class sums on the block's own scale, merged into the totals.</summary>
    private void AddBlock(ReadOnlySpan<int> labels, ReadOnlySpan<double> nats, ReadOnlySpan<double> weights, Span<double> scaledValues, Span<double> scaledWeights, CompensatedSum[] classWeight, CompensatedSum[] classLoss)
    {
        var moments = ScaledMoments.OfBlock(nats, weights, scaledValues, scaledWeights, out var v, out var w);
        Array.Clear(classWeight);
        Array.Clear(classLoss);
        for (var i = 0; i < labels.Length; i++)
        {
            var wi = w.IsEmpty ? 1.0 : w[i];
            classWeight[labels[i]].Add(wi);
            classLoss[labels[i]].Add(wi * v[i]);
        }

        MergeMoments(moments, classWeight, classLoss);
    }

    /// <summary>Adds moments and class sums of disjoint rows, bringing both to the larger exponents first.</summary>
    private void MergeMoments(ScaledMoments moments, CompensatedSum[] classWeight, CompensatedSum[] classLoss)
    {
        var (weightShift, valueShift, otherWeightShift, otherValueShift) = ScaledMoments.Combine(ref _moments, ref moments);
        for (var j = 0; j < _classes; j++)
        {
            var (weight, loss) = (classWeight[j], classLoss[j]);
            _classWeight[j].ScaleB(weightShift);
            _classLoss[j].ScaleB(weightShift + valueShift);
            weight.ScaleB(otherWeightShift);
            loss.ScaleB(otherWeightShift + otherValueShift);
            _classWeight[j].Add(weight);
            _classLoss[j].Add(loss);
        }
    }

    /// <summary>A = z − (max + ln Σ e^(z − max)): the log-sum-exp with the maximum taken out, finite for finite z.</summary>
    private static long LogSoftmax(ReadOnlySpan<double> row, Span<double> log)
    {
        var max = TensorPrimitives.Max(row);
        var sum = 0.0;
        foreach (var z in row)
        {
            sum += Math.Exp(z - max);
        }

        var normalizer = max + Math.Log(sum);
        for (var k = 0; k < row.Length; k++)
        {
            log[k] = row[k] - normalizer;
        }

        return 0;
    }

    /// <summary>
    /// A = ln clamp(P / rowSum, ε, 1 − ε) with rowSum = 1 unless renormalizing (as scikit-learn clips, with no
    /// renormalisation after clipping); returns 1 when any entry of the row lay outside [ε, 1 − ε], else 0.
    /// </summary>
    private static long LogProbabilities(ReadOnlySpan<double> row, Span<double> log, MulticlassLossOptions options)
    {
        var scale = options.Renormalize ? 1.0 / TensorPrimitives.Sum(row) : 1.0;
        var lower = options.Epsilon;
        var upper = 1.0 - options.Epsilon;
        var clipped = false;
        for (var k = 0; k < row.Length; k++)
        {
            var p = row[k] * scale;
            if (p < lower || p > upper)
            {
                clipped = true;
                p = Math.Clamp(p, lower, upper);
            }

            log[k] = Math.Log(p);
        }

        return clipped ? 1 : 0;
    }

    private void Check(ReadOnlySpan<int> labels, ReadOnlySpan<double> predictions, ReadOnlySpan<double> weights, Span<double> losses)
    {
        if (predictions.Length != (long)labels.Length * _classes)
        {
            throw new ArgumentException("There must be one row of C predictions per label.", nameof(predictions));
        }

        if (_weighted ? weights.Length != labels.Length : !weights.IsEmpty)
        {
            throw new ArgumentException(_weighted ? "There must be one weight per label." : "This accumulator is unweighted.", nameof(weights));
        }

        if (!losses.IsEmpty && losses.Length != labels.Length)
        {
            throw new ArgumentException("The losses span must be empty or as long as the labels.", nameof(losses));
        }

        foreach (var label in labels)
        {
            if ((uint)label >= (uint)_classes)
            {
                throw new ArgumentException("Every label must be a class index in 0 … C − 1.", nameof(labels));
            }
        }
    }
}
