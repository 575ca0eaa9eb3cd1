namespace LogLossApi.Scoring;

/// <summary>Options of a categorical cross-entropy evaluation.</summary>
/// <param name="Epsilon">Clip for probabilities, 0 &lt; ε &lt; 0.5: A = ln clamp(P, ε, 1 − ε). Ignored for logits.</param>
/// <param name="Unit">Unit of every reported loss, entropy and divergence.</param>
/// <param name="LabelSmoothing">s in [0, 1): targets T_c = (1 − s)[c = y] + s/C.</param>
/// <param name="Renormalize">Divide each probability row by its sum before scoring.</param>
public readonly record struct MulticlassLossOptions(double Epsilon, LossUnit Unit, double LabelSmoothing, bool Renormalize)
{
    /// <summary>ε = 2⁻⁵², nats, no smoothing, rows taken as they are.</summary>
    public static MulticlassLossOptions Default { get; } = new(BinaryLossOptions.DefaultEpsilon, LossUnit.Nats, 0.0, false);

    /// <summary>Every option outside its documented range, named as the API spells it (see <see cref="BinaryLossOptions.Problems"/>).</summary>
    public IReadOnlyList<OptionProblem> Problems() => new BinaryLossOptions(Epsilon, Unit, 1.0, LabelSmoothing).Problems();

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first option outside its documented range.</summary>
    public void Validate() => OptionProblem.ThrowIfAny(Problems());
}

/// <summary>One categorical scoring problem, as spans.</summary>
/// <param name="Labels">yᵢ in 0 … C − 1.</param>
/// <param name="Predictions">N × C values in row-major order: probabilities (rows summing to 1, or renormalized) or logits.</param>
/// <param name="Classes">C ≥ 2.</param>
/// <param name="Kind">Whether <paramref name="Predictions"/> are probabilities or logits.</param>
/// <param name="Weights">wᵢ ≥ 0 with Σwᵢ &gt; 0, or empty for wᵢ = 1.</param>
/// <param name="Options">Floor, unit, label smoothing, renormalization.</param>
public readonly ref struct MulticlassInput(
    ReadOnlySpan<int> Labels,
    ReadOnlySpan<double> Predictions,
    int Classes,
    PredictionKind Kind,
    ReadOnlySpan<double> Weights,
    MulticlassLossOptions Options)
{
    /// <summary>yᵢ in 0 … C − 1.</summary>
    public ReadOnlySpan<int> Labels { get; } = Labels;

    /// <summary>N × C probabilities or logits, row-major.</summary>
    public ReadOnlySpan<double> Predictions { get; } = Predictions;

    /// <summary>C.</summary>
    public int Classes { get; } = Classes;

    /// <summary>Whether <see cref="Predictions"/> are probabilities or logits.</summary>
    public PredictionKind Kind { get; } = Kind;

    /// <summary>Sample weights, or empty for unit weights.</summary>
    public ReadOnlySpan<double> Weights { get; } = Weights;

    /// <summary>Floor, unit, label smoothing, renormalization.</summary>
    public MulticlassLossOptions Options { get; } = Options;
}

/// <summary>The categorical cross-entropy of N samples over C classes and its entropy / KL breakdown.</summary>
/// <param name="Count">N.</param>
/// <param name="ClassCount">C.</param>
/// <param name="WeightSum">W = Σwᵢ.</param>
/// <param name="MeanLoss">Σwᵢℓᵢ / W.</param>
/// <param name="SumLoss">Σwᵢℓᵢ.</param>
/// <param name="Unit">The unit of every loss and entropy.</param>
/// <param name="ClippedCount">Samples with at least one probability entry outside [ε, 1 − ε] (after renormalization); 0 for logits.</param>
/// <param name="StandardError">√(N/(N − 1) · Σwᵢ²(ℓᵢ − mean)²) / W; null for N = 1.</param>
/// <param name="Classes">Per true class c: #{yᵢ = c}, Σwᵢ, Σwᵢℓᵢ and their mean (null when the weight is 0).</param>
/// <param name="Entropy">Cross-entropy = label entropy + KL; the class distribution q and its entropy H(q).</param>
public sealed record MulticlassLogLossReport(
    long Count,
    int ClassCount,
    double WeightSum,
    double MeanLoss,
    double SumLoss,
    LossUnit Unit,
    long ClippedCount,
    double? StandardError,
    IReadOnlyList<ClassBreakdown> Classes,
    MulticlassEntropy Entropy);

/// <summary>The entropy section of a categorical report.</summary>
/// <param name="CrossEntropy">H_p(T) = Σwᵢ(−Σ_c T_ic A_ic) / W (equals meanLoss).</param>
/// <param name="LabelEntropy">Σwᵢ H(Tᵢ) / W, 0 for hard labels without smoothing.</param>
/// <param name="KlDivergence">crossEntropy − labelEntropy, summed per sample.</param>
/// <param name="ClassDistribution">q_c = Σwᵢ T_ic / W.</param>
/// <param name="ClassEntropy">H(q): the loss of always predicting q.</param>
/// <param name="InformationGain">H(q) − crossEntropy.</param>
/// <param name="NormalizedEntropy">crossEntropy / H(q); null when H(q) = 0.</param>
/// <param name="Perplexity">e^(crossEntropy in nats).</param>
public sealed record MulticlassEntropy(
    double CrossEntropy,
    double LabelEntropy,
    double KlDivergence,
    IReadOnlyList<double> ClassDistribution,
    double ClassEntropy,
    double InformationGain,
    double? NormalizedEntropy,
    double Perplexity);

/// <summary>
/// Categorical cross-entropy. With targets T_ic = (1 − s)[c = yᵢ] + s/C and log-probabilities
/// A_ic = ln clamp(P_ic, ε, 1 − ε) (probabilities, after division by the row sum when renormalizing) or
/// A_ic = z_ic − logsumexp(zᵢ) (logits, with the row maximum subtracted first, so any finite logits are safe),
/// each sample's loss is ℓᵢ = −Σ_c T_ic A_ic and meanLoss = Σwᵢℓᵢ / Σwᵢ. The label entropy is Σwᵢ H(Tᵢ) / W and the
/// KL divergence Σwᵢ(ℓᵢ − H(Tᵢ)) / W, so crossEntropy = labelEntropy + klDivergence. Sums are compensated and
/// scaled by powers of two at extreme weights and losses (<see cref="MulticlassLogLossAccumulator"/>); a figure beyond the
/// double range (a perplexity above e^709.78) is +∞. With C = 2 and rows [1 − p, p] every figure equals
/// <see cref="BinaryCrossEntropy"/>'s, for every ε and clipped samples included.
/// </summary>
public static class MulticlassCrossEntropy
{
    /// <summary>Scores <paramref name="input"/>; writes each unweighted ℓᵢ (in the unit) into <paramref name="losses"/> unless it is empty.</summary>
    /// <exception cref="ArgumentException">Lengths, labels, values or options outside their documented ranges.</exception>
    public static MulticlassLogLossReport Evaluate(in MulticlassInput input, Span<double> losses)
    {
        if (input.Labels.IsEmpty)
        {
            throw new ArgumentException("There must be at least one sample.", nameof(input));
        }

        var accumulator = new MulticlassLogLossAccumulator(input.Options, input.Classes, input.Kind, weighted: !input.Weights.IsEmpty);
        accumulator.Add(input.Labels, input.Predictions, input.Weights, losses);
        return accumulator.ToReport();
    }
}
