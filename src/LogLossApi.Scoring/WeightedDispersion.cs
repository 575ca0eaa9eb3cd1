namespace LogLossApi.Scoring;

/// <summary>
/// The dispersion of weighted values about their weighted mean m, kept so that two groups merge exactly (Chan et
/// al.'s pairwise update, generalised to weights w for the mean and w² for the dispersion): S = Σw²(v − m)²,
/// T = Σw²(v − m), Q = Σw², with the mean and the weight W = Σw of the group. The standard error of the mean is
/// √(N/(N − 1) · S) / W.
/// </summary>
internal struct WeightedDispersion
{
    public double Mean;
    public double Weight;
    public double S;
    public double T;
    public double Q;

    /// <summary>The fields, to carry them elsewhere.</summary>
    public readonly DispersionState ToState() => new(Mean, Weight, S, T, Q);

    /// <summary>A dispersion from its fields.</summary>
    public static WeightedDispersion Of(DispersionState state) =>
        new() { Mean = state.Mean, Weight = state.Weight, S = state.S, T = state.T, Q = state.Q };

    /// <summary>
    /// One block's exact two-pass dispersion about its own mean <paramref name="sum"/> / <paramref name="weight"/>
    /// (every wᵢ is 1 when <paramref name="weights"/> is empty); empty when the block has no weight.
    /// </summary>
    public static WeightedDispersion Of(ReadOnlySpan<double> values, ReadOnlySpan<double> weights, double weight, double sum)
    {
        if (weight == 0)
        {
            return default;
        }

        var mean = sum / weight;
        var (s, t, q) = Kernels.Dispersion(values, weights, mean);
        return new WeightedDispersion { Mean = mean, Weight = weight, S = s, T = t, Q = q };
    }

    /// <summary>Adds a disjoint group: both are shifted to the combined mean m, Σw²(v − m)² = S + 2(mₖ − m)T + (mₖ − m)²Q.</summary>
    public void Merge(in WeightedDispersion other)
    {
        if (other.Weight == 0)
        {
            return;
        }

        var total = Weight + other.Weight;
        var mean = Mean + ((other.Mean - Mean) * (other.Weight / total));
        var shift = Mean - mean;
        var otherShift = other.Mean - mean;
        // A sum of squares: ≥ 0, though the shifted terms may round it a few ulps below when every value is equal.
        S = Math.Max(0, S + (2 * shift * T) + (shift * shift * Q) + other.S + (2 * otherShift * other.T) + (otherShift * otherShift * other.Q));
        T += (shift * Q) + other.T + (otherShift * other.Q);
        Q += other.Q;
        Weight = total;
        Mean = mean;
    }

    /// <summary>Multiplies every weight by 2^<paramref name="exponent"/> (every squared weight by its square).</summary>
    public void ScaleWeights(int exponent)
    {
        Weight = Math.ScaleB(Weight, exponent);
        S = Math.ScaleB(S, 2 * exponent);
        T = Math.ScaleB(T, 2 * exponent);
        Q = Math.ScaleB(Q, 2 * exponent);
    }

    /// <summary>Multiplies every value by 2^<paramref name="exponent"/>.</summary>
    public void ScaleValues(int exponent)
    {
        Mean = Math.ScaleB(Mean, exponent);
        S = Math.ScaleB(S, 2 * exponent);
        T = Math.ScaleB(T, exponent);
    }
}
