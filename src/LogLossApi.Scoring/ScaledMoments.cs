using System.Numerics.Tensors;

namespace LogLossApi.Scoring;

/// <summary>
/// Mergeable weighted moments of values (losses, paired differences): the count, W = Σwᵢ stored as Σwᵢ·2⁻ᵏ, Σwᵢvᵢ
/// stored as Σwᵢvᵢ·2⁻⁽ᵏ⁺ᴸ⁾ (compensated), and the dispersion about the weighted mean. Blocks are scaled by powers of
/// two (exact) when their largest weight or value leaves [2⁻⁶⁴, 2⁶⁴] resp. [2⁻²⁵⁶, 2²⁵⁶], and two groups are brought
/// to the larger exponents before they are added, so nothing overflows or underflows on the way and the result does
/// not depend on how the rows were cut into blocks (to rounding).
/// </summary>
internal struct ScaledMoments
{
    public long Count;
    public CompensatedSum Weight;
    public CompensatedSum Sum;
    public WeightedDispersion Dispersion;
    public int WeightExponent;
    public int ValueExponent;

    /// <summary>The fields, to carry them elsewhere.</summary>
    public readonly MomentsState ToState() => new(Count, WeightExponent, ValueExponent, Weight.Parts, Sum.Parts, Dispersion.ToState());

    /// <summary>Moments from their fields, as <see cref="ToState"/> gave them.</summary>
    public static ScaledMoments Of(MomentsState state) => new()
    {
        Count = state.Count,
        WeightExponent = state.WeightExponent,
        ValueExponent = state.ValueExponent,
        Weight = CompensatedSum.Of(state.Weight),
        Sum = CompensatedSum.Of(state.Sum),
        Dispersion = WeightedDispersion.Of(state.Dispersion),
    };

    /// <summary>Whether any row with weight was added: until then the exponents are not settled.</summary>
    public readonly bool HasMass => Weight.Value > 0;

    /// <summary>
    /// The moments of one block of unscaled values and weights: multiplied by 2⁻ᴸ and 2⁻ᵏ into the scratch spans first
    /// when their largest |value| or weight needs it (see <see cref="Kernels.ScaleExponent"/>); the spans the sums were
    /// taken over come back, so that sums kept beside these (per class, say) can be taken on the same scale.
    /// </summary>
    public static ScaledMoments OfBlock(
        ReadOnlySpan<double> values,
        ReadOnlySpan<double> weights,
        Span<double> valueScratch,
        Span<double> weightScratch,
        out ReadOnlySpan<double> scaledValues,
        out ReadOnlySpan<double> scaledWeights)
    {
        var k = Kernels.WeightExponent(weights);
        var l = Kernels.ScaleExponent(TensorPrimitives.MaxMagnitude(values), Kernels.ValueScaleLimit);
        scaledValues = values;
        scaledWeights = weights;
        if (l != 0)
        {
            TensorPrimitives.Multiply(values, Math.ScaleB(1.0, -l), valueScratch);
            scaledValues = valueScratch[..values.Length];
        }

        if (k != 0)
        {
            TensorPrimitives.Multiply(weights, Math.ScaleB(1.0, -k), weightScratch);
            scaledWeights = weightScratch[..weights.Length];
        }

        return OfBlock(scaledValues, scaledWeights, k, l);
    }

    /// <summary>
    /// The moments of one block whose values and weights are already multiplied by 2⁻ᴸ and 2⁻ᵏ (every weight is 1
    /// when <paramref name="weights"/> is empty).
    /// </summary>
    private static ScaledMoments OfBlock(ReadOnlySpan<double> values, ReadOnlySpan<double> weights, int weightExponent, int valueExponent)
    {
        var weight = weights.IsEmpty ? values.Length : TensorPrimitives.Sum(weights);
        var sum = weights.IsEmpty ? TensorPrimitives.Sum(values) : TensorPrimitives.Dot(weights, values);
        var moments = new ScaledMoments
        {
            Count = values.Length,
            Dispersion = WeightedDispersion.Of(values, weights, weight, sum),
            WeightExponent = weightExponent,
            ValueExponent = valueExponent,
        };
        moments.Weight.Add(weight);
        moments.Sum.Add(sum);
        return moments;
    }

    /// <summary>
    /// Moves to the exponents (<paramref name="weightExponent"/>, <paramref name="valueExponent"/>), which must not
    /// be smaller than the current ones; returns the powers of two the weights and the values were multiplied by, so
    /// that sums kept beside these (per class, say) can follow.
    /// </summary>
    public (int WeightShift, int ValueShift) AlignTo(int weightExponent, int valueExponent)
    {
        var shifts = (WeightExponent - weightExponent, ValueExponent - valueExponent);
        Weight.ScaleB(shifts.Item1);
        Sum.ScaleB(shifts.Item1 + shifts.Item2);
        Dispersion.ScaleWeights(shifts.Item1);
        Dispersion.ScaleValues(shifts.Item2);
        (WeightExponent, ValueExponent) = (weightExponent, valueExponent);
        return shifts;
    }

    /// <summary>Adds the moments of disjoint rows, on whatever scale they are (see <see cref="Combine"/>).</summary>
    public void Merge(ScaledMoments other) => Combine(ref this, ref other);

    /// <summary>
    /// Adds <paramref name="other"/> into <paramref name="into"/>, first bringing both to the larger exponents; returns
    /// the shifts each side's weights and values were multiplied by (see <see cref="AlignTo"/>), for sums kept beside
    /// the moments to follow. A side without weight has every weighted sum 0, so the other's scale is kept as it is
    /// and the shifts are 0.
    /// </summary>
    public static (int WeightShift, int ValueShift, int OtherWeightShift, int OtherValueShift) Combine(ref ScaledMoments into, ref ScaledMoments other)
    {
        if (!other.HasMass)
        {
            into.Count += other.Count;
            return default;
        }

        if (!into.HasMass)
        {
            var count = into.Count;
            into = other;
            into.Count += count;
            return default;
        }

        var k = Math.Max(into.WeightExponent, other.WeightExponent);
        var l = Math.Max(into.ValueExponent, other.ValueExponent);
        var (weightShift, valueShift) = into.AlignTo(k, l);
        var (otherWeightShift, otherValueShift) = other.AlignTo(k, l);
        into.AddAligned(other);
        return (weightShift, valueShift, otherWeightShift, otherValueShift);
    }

    /// <summary>Adds moments on the same scale (see <see cref="AlignTo"/>).</summary>
    public void AddAligned(in ScaledMoments other)
    {
        Count += other.Count;
        Weight.Add(other.Weight);
        Sum.Add(other.Sum);
        Dispersion.Merge(other.Dispersion);
    }

    /// <summary>W, the weighted mean, Σwᵢvᵢ and the standard error of the mean, unscaled.</summary>
    public readonly Kernels.Moments ToMoments()
    {
        var weight = Weight.Value;
        var mean = Sum.Value / weight;
        double? standardError = Count > 1 ? Math.ScaleB(Math.Sqrt(Count / (Count - 1.0) * Dispersion.S) / weight, ValueExponent) : null;
        return new Kernels.Moments(Math.ScaleB(weight, WeightExponent), Math.ScaleB(mean, ValueExponent), Math.ScaleB(Sum.Value, WeightExponent + ValueExponent), standardError, WeightExponent, ValueExponent);
    }
}
