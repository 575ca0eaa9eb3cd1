namespace LogLossApi.Scoring;

/// <summary>Binary cross-entropy (log loss) of probabilities or logits, with its entropy / KL breakdown.</summary>
public static class BinaryCrossEntropy
{
    /// <summary>Binary cross-entropy of each sample and their weighted mean.</summary>
    /// <remarks>
    /// With targets tᵢ = yᵢ(1 − s) + s/2, effectively computes ℓᵢ = −(w₊·tᵢ·aᵢ + (1 − tᵢ)·bᵢ), where for probabilities
    /// aᵢ = ln p′ᵢ, bᵢ = ln(1 − p′ᵢ) (log1p) and p′ᵢ = clamp(pᵢ, ε, 1 − ε), and for logits aᵢ = −softplus(−zᵢ),
    /// bᵢ = −softplus(zᵢ). The mean is Σwᵢℓᵢ / Σwᵢ. See <see cref="BinaryLogLossReport"/> for every other figure.
    /// </remarks>
    /// <param name="input">Labels, predictions, optional weights and options.</param>
    /// <param name="losses">Receives ℓᵢ (unweighted, in the options' unit, in input order); empty to skip them.</param>
    /// <returns>The summary of the evaluation.</returns>
    /// <exception cref="ArgumentException">The input is empty, a length differs, a value or an option is out of range, or the weights sum to 0.</exception>
    public static BinaryLogLossReport Evaluate(in BinaryInput input, Span<double> losses)
    {
        if (input.Count == 0)
        {
            throw new ArgumentException("At least one sample is needed.", nameof(input));
        }

        var accumulator = new BinaryLogLossAccumulator(input.Options, input.Kind, weighted: !input.Weights.IsEmpty);
        accumulator.Add(input.Labels, input.Predictions, input.Weights, losses);
        try
        {
            return accumulator.ToReport();
        }
        catch (InvalidOperationException e)
        {
            throw new ArgumentException(e.Message, nameof(input), e);
        }
    }

    /// <summary>P(y = 1) for one prediction: the probability itself, or σ(z) for a logit.</summary>
    public static double ProbabilityOf(double prediction, PredictionKind kind) =>
        kind == PredictionKind.Logits ? Kernels.Sigmoid(prediction) : prediction;
}
