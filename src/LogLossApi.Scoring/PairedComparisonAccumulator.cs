using System.Buffers;
using System.Numerics.Tensors;

namespace LogLossApi.Scoring;

/// <summary>
/// The paired difference dᵢ = ℓᵢ(model) − ℓᵢ(reference) over samples that arrive in chunks, in constant memory;
/// accumulations of disjoint samples merge (<see cref="Merge"/>). See <see cref="PairedComparison"/> for the test.
/// </summary>
public sealed class PairedComparisonAccumulator
{
    private readonly double _level;
    private ScaledMoments _moments;

    /// <summary>Starts an empty accumulation whose interval has confidence <paramref name="level"/>, in (0, 1).</summary>
    public PairedComparisonAccumulator(double level)
    {
        OptionProblem.ThrowIfAny(PairedComparison.LevelProblems(level));

        _level = level;
    }

    /// <summary>Samples added so far.</summary>
    public long Count => _moments.Count;

    /// <summary>Whether the weights added so far sum to more than 0.</summary>
    public bool HasMass => _moments.HasMass;

    /// <summary>Adds the per-sample losses of both models on a chunk of samples (same unit), with their weights or none.</summary>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public void Add(ReadOnlySpan<double> reference, ReadOnlySpan<double> model, ReadOnlySpan<double> weights)
    {
        if (model.Length != reference.Length || (!weights.IsEmpty && weights.Length != reference.Length))
        {
            throw new ArgumentException("Both loss vectors (and the weights, if any) must have the same length.", nameof(model));
        }

        var stride = Math.Max(1, Math.Min(BinaryLogLossAccumulator.BlockSize, reference.Length));
        var scratch = ArrayPool<double>.Shared.Rent(3 * stride);
        try
        {
            for (var start = 0; start < reference.Length; start += BinaryLogLossAccumulator.BlockSize)
            {
                var n = Math.Min(BinaryLogLossAccumulator.BlockSize, reference.Length - start);
                var d = scratch.AsSpan(0, n);
                TensorPrimitives.Subtract(model.Slice(start, n), reference.Slice(start, n), d);
                var w = weights.IsEmpty ? default : weights.Slice(start, n);
                _moments.Merge(ScaledMoments.OfBlock(d, w, scratch.AsSpan(stride, n), scratch.AsSpan(2 * stride, n), out _, out _));
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(scratch);
        }
    }

    /// <summary>Adds every sample <paramref name="other"/> has seen; it is left as it was.</summary>
    /// <exception cref="ArgumentException">The two have different confidence levels.</exception>
    public void Merge(PairedComparisonAccumulator other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other._level != _level)
        {
            throw new ArgumentException("Only accumulations with the same confidence level can be merged.", nameof(other));
        }

        _moments.Merge(other._moments);
    }

    /// <summary>d̄, its standard error, z, the two-sided p-value and the interval over every sample added so far.</summary>
    /// <exception cref="InvalidOperationException">No sample was added, or the weights sum to 0.</exception>
    public PairedDifference ToReport() => ToReport(1.0);

    /// <summary>The moments, to be merged elsewhere (<see cref="FromState"/>).</summary>
    internal MomentsState ToState() => _moments.ToState();

    /// <summary>An accumulation that continues from checked moments, with confidence <paramref name="level"/>.</summary>
    internal static PairedComparisonAccumulator FromState(MomentsState state, double level) => new(level) { _moments = ScaledMoments.Of(state) };

    /// <summary>The report with d̄ and its standard error multiplied by <paramref name="scale"/> (a change of unit: z and p stay).</summary>
    internal PairedDifference ToReport(double scale)
    {
        if (_moments.Count == 0)
        {
            throw new InvalidOperationException("At least one sample is needed.");
        }

        if (!_moments.HasMass)
        {
            throw new InvalidOperationException("The weights must sum to more than 0.");
        }

        var moments = _moments.ToMoments();
        return moments.StandardError is { } error
            ? PairedComparison.Test(moments.Mean * scale, error * scale, _level)
            : new PairedDifference(moments.Mean * scale, null, null, null, null, null, _level);
    }
}
