using System.Buffers;

namespace LogLossApi.Scoring;

/// <summary>
/// The rows of a calibration decomposition, collected in chunks: the isotonic fit needs every forecast sorted, so
/// unlike the loss accumulators this one keeps the rows (in pooled buffers, given back by <see cref="Dispose"/>).
/// Collections of disjoint rows merge into the collection of all of them.
/// </summary>
public sealed class CalibrationCollector : IDisposable
{
    private readonly BinaryLossOptions _options;
    private readonly PredictionKind _kind;
    private readonly int _bins;
    private Column _labels = new();
    private Column _predictions = new();
    private Column _weights = new();
    private bool _weighted;

    /// <summary>Starts an empty collection.</summary>
    /// <param name="options">Clip and unit (the loss's options).</param>
    /// <param name="kind">Whether the predictions are probabilities or logits.</param>
    /// <param name="bins">Reliability bins, 1 … 1000.</param>
    public CalibrationCollector(BinaryLossOptions options, PredictionKind kind, int bins)
    {
        options.Validate();
        OptionProblem.ThrowIfAny(CalibrationDecomposition.BinsProblems(bins));

        (_options, _kind, _bins) = (options, kind, bins);
    }

    /// <summary>Rows collected so far.</summary>
    public long Count => _labels.Length;

    /// <summary>Adds a chunk of rows: hard labels, predictions and their weights (or none, for 1 each).</summary>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public void Add(ReadOnlySpan<double> labels, ReadOnlySpan<double> predictions, ReadOnlySpan<double> weights)
    {
        if (predictions.Length != labels.Length || (!weights.IsEmpty && weights.Length != labels.Length))
        {
            throw new ArgumentException("There must be one prediction (and one weight, if any) per label.", nameof(predictions));
        }

        if (!weights.IsEmpty && !_weighted)
        {
            _weighted = true;
            _weights.AddOnes(_labels.Length);
        }

        _labels.Add(labels);
        _predictions.Add(predictions);
        if (_weighted)
        {
            if (weights.IsEmpty)
            {
                _weights.AddOnes(labels.Length);
            }
            else
            {
                _weights.Add(weights);
            }
        }
    }

    /// <summary>Adds every row <paramref name="other"/> has collected; it is left as it was.</summary>
    /// <exception cref="ArgumentException">The two were made with different options, prediction kinds or bins.</exception>
    public void Merge(CalibrationCollector other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (ReferenceEquals(other, this))
        {
            throw new ArgumentException("A collection cannot be merged with itself: its rows would count twice.", nameof(other));
        }

        if (other._options != _options || other._kind != _kind || other._bins != _bins)
        {
            throw new ArgumentException("Only collections made with the same options, prediction kind and bins can be merged.", nameof(other));
        }

        Add(other._labels.Span, other._predictions.Span, other._weighted ? other._weights.Span : default);
    }

    /// <summary>The decomposition and the reliability bins of every row collected.</summary>
    /// <exception cref="ArgumentException">Soft labels, or anything <see cref="CalibrationDecomposition.Evaluate"/> refuses.</exception>
    public CalibrationReport ToReport() =>
        CalibrationDecomposition.Evaluate(new BinaryInput(_labels.Span, _predictions.Span, _kind, _weighted ? _weights.Span : default, _options), _bins);

    /// <summary>Gives the buffers back.</summary>
    public void Dispose()
    {
        _labels.Dispose();
        _predictions.Dispose();
        _weights.Dispose();
    }

    /// <summary>A growable pooled array of doubles.</summary>
    private struct Column : IDisposable
    {
        private double[] _values;

        public Column() => _values = [];

        public int Length { get; private set; }

        public readonly ReadOnlySpan<double> Span => _values.AsSpan(0, Length);

        public void Add(ReadOnlySpan<double> values)
        {
            values.CopyTo(Reserve(values.Length));
        }

        public void AddOnes(int count) => Reserve(count).Fill(1.0);

        public void Dispose()
        {
            if (_values.Length > 0)
            {
                ArrayPool<double>.Shared.Return(_values);
            }

            _values = [];
            Length = 0;
        }

        private Span<double> Reserve(int count)
        {
            if (Length + count > _values.Length)
            {
                var grown = ArrayPool<double>.Shared.Rent(Math.Max(Length + count, 2 * _values.Length));
                Span.CopyTo(grown);
                if (_values.Length > 0)
                {
                    ArrayPool<double>.Shared.Return(_values);
                }

                _values = grown;
            }

            var room = _values.AsSpan(Length, count);
            Length += count;
            return room;
        }
    }
}
