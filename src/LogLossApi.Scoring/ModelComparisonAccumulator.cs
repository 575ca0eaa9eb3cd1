using System.Buffers;

namespace LogLossApi.Scoring;

/// <summary>Two or more models scored on the same samples, and each one's paired difference from the first.</summary>
/// <param name="Models">Each model's report, in the order the models were given.</param>
/// <param name="Differences">Model k + 1 against model 0, for k = 0 … models − 2.</param>
public sealed record ModelComparisonReport(IReadOnlyList<BinaryLogLossReport> Models, IReadOnlyList<PairedDifference> Differences);

/// <summary>
/// Several models' predictions of the same labels, in chunks of samples: one <see cref="BinaryLogLossAccumulator"/>
/// per model and one <see cref="PairedComparisonAccumulator"/> per model after the first (the reference), fed block by
/// block with the per-sample losses, so memory stays constant whatever N is. Accumulations of disjoint samples merge.
/// Every sum is kept in nats (so that a state is in nats); the unit applies to the report only.
/// </summary>
public sealed class ModelComparisonAccumulator
{
    private readonly BinaryLogLossAccumulator[] _models;
    private readonly PairedComparisonAccumulator[] _differences;
    private readonly LossUnit _unit;

    /// <summary>Starts an empty accumulation.</summary>
    /// <param name="options">Clip, unit, positive weight and label smoothing, the same for every model.</param>
    /// <param name="kinds">What each model's predictions are; at least two models.</param>
    /// <param name="weighted">Whether every chunk carries weights.</param>
    /// <param name="level">The confidence level of each difference's interval, in (0, 1).</param>
    public ModelComparisonAccumulator(BinaryLossOptions options, IReadOnlyList<PredictionKind> kinds, bool weighted, double level)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        if (kinds.Count < 2)
        {
            throw new ArgumentException("At least two models are needed: the first is the reference.", nameof(kinds));
        }

        _models = [.. kinds.Select(kind => new BinaryLogLossAccumulator(options with { Unit = LossUnit.Nats }, kind, weighted))];
        _differences = [.. kinds.Skip(1).Select(_ => new PairedComparisonAccumulator(level))];
        _unit = options.Unit;
    }

    private ModelComparisonAccumulator(BinaryLogLossAccumulator[] models, PairedComparisonAccumulator[] differences, LossUnit unit) =>
        (_models, _differences, _unit) = (models, differences, unit);

    /// <summary>Samples added so far.</summary>
    public long Count => _models[0].Count;

    /// <summary>Whether the weights added so far sum to more than 0 (a report needs it).</summary>
    public bool HasMass => _models[0].HasMass;

    /// <summary>Adds a chunk of samples: the labels, their weights (or none) and each model's predictions of them.</summary>
    /// <exception cref="ArgumentException">A count, length or value is outside its documented range.</exception>
    public void Add(ReadOnlySpan<double> labels, ReadOnlySpan<double> weights, IReadOnlyList<ReadOnlyMemory<double>> predictions)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        if (predictions.Count != _models.Length)
        {
            throw new ArgumentException($"There must be predictions of {_models.Length} models.", nameof(predictions));
        }

        var block = BinaryLogLossAccumulator.BlockSize;
        var stride = Math.Max(1, Math.Min(block, labels.Length));
        var scratch = ArrayPool<double>.Shared.Rent(2 * stride);
        try
        {
            for (var start = 0; start < labels.Length; start += block)
            {
                var n = Math.Min(block, labels.Length - start);
                var y = labels.Slice(start, n);
                var w = weights.IsEmpty ? default : weights.Slice(start, n);
                var reference = scratch.AsSpan(0, n);
                var loss = scratch.AsSpan(stride, n);
                _models[0].Add(y, Slice(predictions[0], start, n, labels.Length), w, reference);
                for (var k = 1; k < _models.Length; k++)
                {
                    _models[k].Add(y, Slice(predictions[k], start, n, labels.Length), w, loss);
                    _differences[k - 1].Add(reference, loss, w);
                }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(scratch);
        }
    }

    /// <summary>Adds every sample <paramref name="other"/> has seen; it is left as it was.</summary>
    /// <exception cref="ArgumentException">The two compare different numbers of models, or were made with different options.</exception>
    public void Merge(ModelComparisonAccumulator other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other._models.Length != _models.Length || other._unit != _unit)
        {
            throw new ArgumentException("Only comparisons of the same number of models, in the same unit, can be merged.", nameof(other));
        }

        for (var k = 0; k < _models.Length; k++)
        {
            _models[k].Merge(other._models[k]);
        }

        for (var k = 0; k < _differences.Length; k++)
        {
            _differences[k].Merge(other._differences[k]);
        }
    }

    /// <summary>Every model's report and every difference, over every sample added so far.</summary>
    /// <exception cref="InvalidOperationException">No sample was added, or the weights sum to 0.</exception>
    public ModelComparisonReport ToReport() =>
        new([.. _models.Select(m => m.ToReport(_unit))], [.. _differences.Select(d => d.ToReport(_unit.FromNats()))]);

    /// <summary>Every model's state under its name, and every difference's moments, in nats, to be merged elsewhere.</summary>
    /// <param name="names">One distinct name per model, in order.</param>
    public ComparisonState ToState(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        return names.Count == _models.Length
            ? new(ComparisonState.CompareKind, LogLossState.CurrentVersion, [.. names.Select((name, k) => new ComparedModelState(name, _models[k].ToState()))], [.. _differences.Select(d => d.ToState())])
            : throw new ArgumentException($"There must be {_models.Length} names.", nameof(names));
    }

    /// <summary>An accumulation that continues from <paramref name="state"/>, reporting in <paramref name="unit"/> with intervals of confidence <paramref name="level"/>.</summary>
    /// <exception cref="ArgumentException">The state has problems (<see cref="ComparisonState.Problems"/>).</exception>
    public static ModelComparisonAccumulator FromState(ComparisonState state, LossUnit unit, double level)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Problems() is [var first, ..])
        {
            throw new ArgumentException($"{first.Option}: {first.Message}", nameof(state));
        }

        return new(
            [.. state.Models.Select(m => BinaryLogLossAccumulator.FromState(m.State, LossUnit.Nats))],
            [.. state.Differences.Select(d => PairedComparisonAccumulator.FromState(d, level))],
            unit);
    }

    private static ReadOnlySpan<double> Slice(ReadOnlyMemory<double> predictions, int start, int length, int expected) =>
        predictions.Length == expected
            ? predictions.Span.Slice(start, length)
            : throw new ArgumentException("There must be one prediction per label for every model.", nameof(predictions));
}
