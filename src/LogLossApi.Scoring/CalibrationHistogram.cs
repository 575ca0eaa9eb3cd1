using System.Numerics.Tensors;

namespace LogLossApi.Scoring;

/// <summary>
/// A mergeable summary of a calibration decomposition's rows: for each non-empty one of M equal-width forecast buckets,
/// its rows, Σw, Σw·y, Σw·f and Σw·ℓ (compensated within a piece). Histograms of disjoint rows merge by adding bucket
/// sums (<see cref="Merge(CalibrationHistogram)"/>), so the decomposition of a dataset scored in pieces is computed over the buckets.
/// </summary>
/// <remarks>
/// Over the buckets, <see cref="ToReport"/> gives the mean loss, the uncertainty and every bin whose edges fall on
/// bucket edges (B dividing M) exactly; pool-adjacent-violators runs over the buckets, so a block is a union of
/// buckets, and since that fit is the best isotonic one among those constant on buckets, its loss is at least the exact
/// fit's: miscalibration and discrimination are at most their exact values, and equal to them when no bucket holds
/// forecasts that the exact fit puts in different blocks.
/// </remarks>
public sealed class CalibrationHistogram
{
    /// <summary>The fewest buckets a histogram may have.</summary>
    public const int MinBuckets = 10;

    /// <summary>The most buckets a histogram may have.</summary>
    public const int MaxBuckets = 1_000_000;

    /// <summary>The buckets of a state unless the request says otherwise.</summary>
    public const int DefaultBuckets = 10_000;

    private readonly double _epsilon;
    private readonly PredictionKind _kind;
    private readonly int _bucketCount;
    private readonly LossUnit _unit;
    private long _count;
    private int _weightExponent;
    private int _lossExponent;
    private Columns _buckets;

    private CalibrationHistogram(double epsilon, PredictionKind kind, int bucketCount, LossUnit unit, long count, int weightExponent, int lossExponent, Columns buckets)
    {
        (_epsilon, _kind, _bucketCount, _unit, _count, _weightExponent, _lossExponent) = (epsilon, kind, bucketCount, unit, count, weightExponent, lossExponent);
        Buckets = buckets;
    }

    /// <summary>Why <paramref name="buckets"/> cannot be used ("stateBuckets"), or none.</summary>
    public static IReadOnlyList<OptionProblem> BucketProblems(int buckets) =>
        buckets is >= MinBuckets and <= MaxBuckets ? [] : [new("stateBuckets", $"Must be an integer from {MinBuckets} to {MaxBuckets:N0}.")];

    /// <summary>Rows summarised, those of weight 0 included.</summary>
    public long Count => _count;

    /// <summary>Whether the weights sum to more than 0 (a report needs it).</summary>
    public bool HasMass { get; private set; }

    /// <summary>The non-empty buckets; setting them settles <see cref="HasMass"/> once, not at every ask.</summary>
    private Columns Buckets
    {
        get => _buckets;
        set => (_buckets, HasMass) = (value, TensorPrimitives.Sum<double>(value.Weight) > 0);
    }

    /// <summary>The buckets M.</summary>
    public int BucketCount => _bucketCount;

    /// <summary>The histogram as a state, in nats (its columns are copies).</summary>
    public CalibrationState ToState() => new(
        CalibrationState.CalibrationKind,
        LogLossState.CurrentVersion,
        _epsilon,
        StateRules.NameOf(_kind),
        _bucketCount,
        _count,
        _weightExponent,
        _lossExponent,
        new CalibrationBuckets([.. _buckets.Index], [.. _buckets.Rows], [.. _buckets.Weight], [.. _buckets.Positive], [.. _buckets.Forecast], [.. _buckets.Loss]));

    /// <summary>A histogram from <paramref name="state"/>, reporting in <paramref name="unit"/>; it reads the state's columns, which must not change while it is used.</summary>
    /// <exception cref="ArgumentException">The state has problems (<see cref="CalibrationState.Problems"/>).</exception>
    public static CalibrationHistogram FromState(CalibrationState state, LossUnit unit)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Problems() is [var first, ..])
        {
            throw new ArgumentException($"{first.Option}: {first.Message}", nameof(state));
        }

        // The columns are read, never written: merging makes new ones, so the state's arrays are shared, not copied.
        var b = state.Buckets;
        return new(state.Epsilon, StateRules.KindOf(state.Predictions), state.BucketCount, unit, state.Count, state.WeightExponent, state.LossExponent,
            new Columns(b.Index, b.Count, b.Weight, b.Positive, b.Forecast, b.Loss));
    }

    /// <summary>
    /// Adds the rows of <paramref name="other"/> (disjoint from these): bucket sums are brought to the larger exponents
    /// (exact: powers of two) and added bucket by bucket, in one pass over both. <paramref name="other"/> is left as it was.
    /// </summary>
    /// <exception cref="ArgumentException">The two were made with different clips, prediction kinds, buckets or units.</exception>
    public void Merge(CalibrationHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        ThrowUnlessMergeable(other, nameof(other));

        _count += other._count;
        if (!other.HasMass)
        {
            return;
        }

        if (!HasMass)
        {
            (_weightExponent, _lossExponent, Buckets) = (other._weightExponent, other._lossExponent, Columns.Merge(_buckets, 0, 0, other._buckets, 0, 0));
            return;
        }

        var k = Math.Max(_weightExponent, other._weightExponent);
        var l = Math.Max(_lossExponent, other._lossExponent);
        Buckets = Columns.Merge(_buckets, _weightExponent - k, _lossExponent - l, other._buckets, other._weightExponent - k, other._lossExponent - l);
        (_weightExponent, _lossExponent) = (k, l);
    }

    /// <summary>
    /// All of <paramref name="parts"/> merged, the parts left as they were. When the buckets M are no more than twice
    /// the parts' E entries, the sums go into one dense column per sum (O(E + M) time, memory no larger than the parts');
    /// sparser parts are merged in a balanced tree (neighbours pairwise, round by round: O(E log S) for S parts).
    /// </summary>
    /// <exception cref="ArgumentException">No part, or parts that cannot be merged (<see cref="Merge(CalibrationHistogram)"/>).</exception>
    public static CalibrationHistogram Merge(IReadOnlyList<CalibrationHistogram> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0)
        {
            throw new ArgumentException("At least one histogram is needed.", nameof(parts));
        }

        var first = parts[0];
        foreach (var part in parts)
        {
            first.ThrowUnlessMergeable(part, nameof(parts));
        }

        var entries = parts.Sum(p => (long)p._buckets.Index.Length);
        return first._bucketCount <= 2 * entries ? MergeDense(parts) : MergeTree(parts);
    }

    private void ThrowUnlessMergeable(CalibrationHistogram other, string parameter)
    {
        if (other._epsilon != _epsilon || other._kind != _kind || other._bucketCount != _bucketCount || other._unit != _unit)
        {
            throw new ArgumentException("Only histograms made with the same clip, prediction kind, buckets and unit can be merged.", parameter);
        }
    }

    private static CalibrationHistogram MergeDense(IReadOnlyList<CalibrationHistogram> parts)
    {
        var first = parts[0];
        var withMass = parts.Where(p => p.HasMass).ToList();
        var k = withMass.Count == 0 ? first._weightExponent : withMass.Max(p => p._weightExponent);
        var l = withMass.Count == 0 ? first._lossExponent : withMass.Max(p => p._lossExponent);
        var m = first._bucketCount;
        var dense = new Columns(new int[m], new long[m], new double[m], new double[m], new double[m], new double[m]);
        long count = 0;
        foreach (var part in parts)
        {
            count += part._count;
            var (weightShift, lossShift) = part.HasMass ? (part._weightExponent - k, part._lossExponent - l) : (0, 0);
            var b = part._buckets;
            for (var i = 0; i < b.Index.Length; i++)
            {
                dense.Add(b.Index[i], b, i, weightShift, lossShift);
            }
        }

        var n = 0;
        for (var j = 0; j < m; j++)
        {
            if (dense.Rows[j] > 0)
            {
                (dense.Index[n], dense.Rows[n]) = (j, dense.Rows[j]);
                (dense.Weight[n], dense.Positive[n], dense.Forecast[n], dense.Loss[n]) = (dense.Weight[j], dense.Positive[j], dense.Forecast[j], dense.Loss[j]);
                n++;
            }
        }

        return new(first._epsilon, first._kind, m, first._unit, count, k, l, dense.Take(n));
    }

    private static CalibrationHistogram MergeTree(IReadOnlyList<CalibrationHistogram> parts)
    {
        var round = parts.Select(p => new CalibrationHistogram(p._epsilon, p._kind, p._bucketCount, p._unit, p._count, p._weightExponent, p._lossExponent, p._buckets)).ToList();
        while (round.Count > 1)
        {
            var next = new List<CalibrationHistogram>((round.Count + 1) / 2);
            for (var i = 0; i < round.Count; i += 2)
            {
                if (i + 1 < round.Count)
                {
                    round[i].Merge(round[i + 1]);
                }

                next.Add(round[i]);
            }

            round = next;
        }

        return round[0];
    }

    /// <summary>
    /// The decomposition over the buckets, with <paramref name="bins"/> reliability bins: a bucket belongs to the bin of
    /// its lower edge (so with B dividing M every bin is exact), a reliability block spans its buckets' edges.
    /// </summary>
    /// <exception cref="InvalidOperationException">No row, or the weights sum to 0.</exception>
    public CalibrationReport ToReport(int bins)
    {
        OptionProblem.ThrowIfAny(CalibrationDecomposition.BinsProblems(bins));
        if (_count == 0 || !HasMass)
        {
            throw new InvalidOperationException(_count == 0 ? "At least one sample is needed." : "The weights must sum to more than 0.");
        }

        var b = _buckets;
        var weight = default(CompensatedSum);
        var positive = default(CompensatedSum);
        var loss = default(CompensatedSum);
        var pool = new CalibrationDecomposition.Pooler();
        var sums = new CalibrationDecomposition.BinSums(bins);
        for (var i = 0; i < b.Index.Length; i++)
        {
            weight.Add(b.Weight[i]);
            positive.Add(b.Positive[i]);
            loss.Add(b.Loss[i]);
            if (b.Weight[i] > 0)
            {
                var (lower, upper) = CalibrationDecomposition.Edges(b.Index[i], _bucketCount);
                pool.Push(new(lower, upper, b.Positive[i], b.Weight[i], b.Rows[i]));
                sums.Add(CalibrationDecomposition.BinOf(lower, bins), b.Rows[i], b.Weight[i], b.Forecast[i], b.Positive[i]);
            }
        }

        var meanLoss = Math.ScaleB(loss.Value / weight.Value, _lossExponent);
        return CalibrationDecomposition.Assemble(meanLoss, Math.Clamp(positive.Value / weight.Value, 0, 1), pool.Blocks(), sums, _weightExponent, _unit);
    }

    /// <summary>
    /// Builds a histogram from rows in any order, with compensated sums per bucket: in dense columns of all M buckets
    /// when M is at most the rows, else in a map of the buckets that occur (so a request for a million
    /// buckets over a few rows allocates for the rows, not the buckets).
    /// </summary>
    internal sealed class Builder
    {
        private readonly int _bucketCount;
        private readonly double _lossScale;
        private readonly int _lossExponent;
        private readonly Dictionary<int, int>? _slots;
        private long[] _rows;
        private CompensatedSum[] _weight, _positive, _forecast, _loss;

        /// <param name="bucketCount">M.</param>
        /// <param name="rows">At most this many rows will be added.</param>
        /// <param name="maxLoss">The largest loss of the rows, in nats, for the loss exponent.</param>
        public Builder(int bucketCount, int rows, double maxLoss)
        {
            _bucketCount = bucketCount;
            _lossExponent = Kernels.ScaleExponent(maxLoss, Kernels.ValueScaleLimit);
            _lossScale = Math.ScaleB(1.0, -_lossExponent);
            // Dense columns of all M buckets only when they are no more than the rows, so memory follows the rows.
            var dense = bucketCount <= rows;
            _slots = dense ? null : [];
            var capacity = dense ? bucketCount : Math.Clamp(rows, 1, 1024);
            _rows = new long[capacity];
            (_weight, _positive, _forecast, _loss) = (new CompensatedSum[capacity], new CompensatedSum[capacity], new CompensatedSum[capacity], new CompensatedSum[capacity]);
        }

        /// <summary>Adds a row: forecast f, hard label, weight times 2⁻ᵏ, loss in nats.</summary>
        public void Add(double forecast, double label, double weight, double loss)
        {
            var bucket = CalibrationDecomposition.BinOf(forecast, _bucketCount);
            var slot = _slots is null ? bucket : Slot(bucket);
            _rows[slot]++;
            _weight[slot].Add(weight);
            _positive[slot].Add(weight * label);
            _forecast[slot].Add(weight * forecast);
            _loss[slot].Add(weight * (loss * _lossScale));
        }

        /// <summary>The histogram of the rows added; weights were times 2^−<paramref name="weightExponent"/>.</summary>
        public CalibrationHistogram Build(double epsilon, PredictionKind kind, LossUnit unit, long count, int weightExponent)
        {
            IEnumerable<(int Bucket, int Slot)> occupied = _slots is null
                ? Enumerable.Range(0, _bucketCount).Where(b => _rows[b] > 0).Select(b => (b, b))
                : _slots.OrderBy(s => s.Key).Select(s => (s.Key, s.Value));
            var list = occupied.ToList();
            var columns = new Columns(
                [.. list.Select(o => o.Bucket)],
                [.. list.Select(o => _rows[o.Slot])],
                [.. list.Select(o => _weight[o.Slot].Value)],
                [.. list.Select(o => _positive[o.Slot].Value)],
                [.. list.Select(o => _forecast[o.Slot].Value)],
                [.. list.Select(o => _loss[o.Slot].Value)]);
            return new(epsilon, kind, _bucketCount, unit, count, weightExponent, _lossExponent, columns);
        }

        private int Slot(int bucket)
        {
            if (_slots!.TryGetValue(bucket, out var slot))
            {
                return slot;
            }

            slot = _slots.Count;
            if (slot == _rows.Length)
            {
                var grown = 2 * slot;
                Array.Resize(ref _rows, grown);
                Array.Resize(ref _weight, grown);
                Array.Resize(ref _positive, grown);
                Array.Resize(ref _forecast, grown);
                Array.Resize(ref _loss, grown);
            }

            _slots[bucket] = slot;
            return slot;
        }
    }

    /// <summary>The non-empty buckets as columns, by increasing index.</summary>
    private readonly record struct Columns(int[] Index, long[] Rows, double[] Weight, double[] Positive, double[] Forecast, double[] Loss)
    {
        public Columns()
            : this([], [], [], [], [], [])
        {
        }

        /// <summary>
        /// Both sides' buckets in one pass, each side's weights multiplied by 2^(its weight shift) and its losses by
        /// 2^(weight shift + loss shift); a bucket on both sides gets the sums of both.
        /// </summary>
        public static Columns Merge(Columns a, int aWeightShift, int aLossShift, Columns b, int bWeightShift, int bLossShift)
        {
            var capacity = a.Index.Length + b.Index.Length;
            var merged = new Columns(new int[capacity], new long[capacity], new double[capacity], new double[capacity], new double[capacity], new double[capacity]);
            int i = 0, j = 0, n = 0;
            while (i < a.Index.Length || j < b.Index.Length)
            {
                var fromA = j >= b.Index.Length || (i < a.Index.Length && a.Index[i] <= b.Index[j]);
                var fromB = i >= a.Index.Length || (j < b.Index.Length && b.Index[j] <= a.Index[i]);
                merged.Index[n] = fromA ? a.Index[i] : b.Index[j];
                if (fromA)
                {
                    merged.Add(n, a, i++, aWeightShift, aLossShift);
                }

                if (fromB)
                {
                    merged.Add(n, b, j++, bWeightShift, bLossShift);
                }

                n++;
            }

            return merged.Take(n);
        }

        /// <summary>The first <paramref name="n"/> buckets (these columns when they hold no more).</summary>
        public Columns Take(int n) =>
            n == Index.Length ? this : new Columns(Index[..n], Rows[..n], Weight[..n], Positive[..n], Forecast[..n], Loss[..n]);

        public void Add(int into, Columns from, int at, int weightShift, int lossShift)
        {
            Rows[into] += from.Rows[at];
            Weight[into] += Math.ScaleB(from.Weight[at], weightShift);
            Positive[into] += Math.ScaleB(from.Positive[at], weightShift);
            Forecast[into] += Math.ScaleB(from.Forecast[at], weightShift);
            Loss[into] += Math.ScaleB(from.Loss[at], weightShift + lossShift);
        }
    }
}
