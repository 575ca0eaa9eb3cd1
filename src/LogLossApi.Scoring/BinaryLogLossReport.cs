namespace LogLossApi.Scoring;

/// <summary>The summary of a binary cross-entropy evaluation. Losses and entropies are in <see cref="Unit"/>.</summary>
/// <param name="Count">N, the number of samples.</param>
/// <param name="WeightSum">W = Σwᵢ.</param>
/// <param name="MeanLoss">Σwᵢℓᵢ / W.</param>
/// <param name="SumLoss">Σwᵢℓᵢ.</param>
/// <param name="Unit">The unit of every loss, entropy and divergence.</param>
/// <param name="ClippedCount">How many probabilities lay outside [ε, 1 − ε]; 0 for logits.</param>
/// <param name="StandardError">√(N/(N − 1) · Σwᵢ²(ℓᵢ − mean)²) / W; null when N = 1.</param>
/// <param name="Positive">Breakdown of the positive term.</param>
/// <param name="Negative">Breakdown of the negative term.</param>
/// <param name="Entropy">Cross-entropy = label entropy + KL divergence, and the base-rate reference.</param>
public sealed record BinaryLogLossReport(
    long Count,
    double WeightSum,
    double MeanLoss,
    double SumLoss,
    LossUnit Unit,
    long ClippedCount,
    double? StandardError,
    ClassBreakdown Positive,
    ClassBreakdown Negative,
    EntropyBreakdown Entropy);

/// <summary>One class's share of the loss.</summary>
/// <param name="Count">Samples whose label is exactly this class (1 for positive, 0 for negative).</param>
/// <param name="Weight">Target mass of the class: Σwᵢtᵢ (positive) or Σwᵢ(1 − tᵢ) (negative).</param>
/// <param name="LossSum">Σwᵢ(−w₊tᵢ ln p′ᵢ) (positive) or Σwᵢ(−(1 − tᵢ) ln(1 − p′ᵢ)) (negative).</param>
/// <param name="MeanLoss">LossSum / Weight; null when Weight = 0.</param>
public sealed record ClassBreakdown(long Count, double Weight, double LossSum, double? MeanLoss);

/// <summary>The information-theoretic reading of the loss.</summary>
/// <param name="CrossEntropy">Σwᵢcᵢ / W with cᵢ = −(tᵢ ln p′ᵢ + (1 − tᵢ) ln(1 − p′ᵢ)), i.e. H_p(q).</param>
/// <param name="LabelEntropy">Σwᵢ H(tᵢ) / W, H(t) = −t ln t − (1 − t) ln(1 − t); 0 for hard labels.</param>
/// <param name="KlDivergence">Σwᵢ KL(tᵢ ‖ p′ᵢ) / W, summed per sample; CrossEntropy = LabelEntropy + KlDivergence.</param>
/// <param name="BaseRate">r = Σwᵢtᵢ / W, unitless.</param>
/// <param name="BaseRateEntropy">H(r): the loss of the best constant prediction.</param>
/// <param name="InformationGain">H(r) − CrossEntropy.</param>
/// <param name="NormalizedEntropy">CrossEntropy / H(r), unitless; null when H(r) = 0.</param>
/// <param name="Perplexity">exp(CrossEntropy in nats), unitless.</param>
public sealed record EntropyBreakdown(
    double CrossEntropy,
    double LabelEntropy,
    double KlDivergence,
    double BaseRate,
    double BaseRateEntropy,
    double InformationGain,
    double? NormalizedEntropy,
    double Perplexity);
