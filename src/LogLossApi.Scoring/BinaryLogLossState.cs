namespace LogLossApi.Scoring;

/// <summary>A compensated sum as its two parts (Neumaier): their sum is the total, to full precision.</summary>
/// <param name="Sum">The running sum.</param>
/// <param name="Compensation">What rounding took from it.</param>
public readonly record struct CompensatedValue(double Sum, double Compensation);

/// <summary>The running dispersion of weighted losses about their weighted mean (see <see cref="BinaryLogLossState"/>).</summary>
/// <param name="Mean">The weighted mean m, in units of 2^lossExponent nats.</param>
/// <param name="Weight">Σw, in units of 2^weightExponent.</param>
/// <param name="S">Σw²(ℓ − m)².</param>
/// <param name="T">Σw²(ℓ − m).</param>
/// <param name="Q">Σw².</param>
public readonly record struct DispersionState(double Mean, double Weight, double S, double T, double Q);

/// <summary>
/// Everything a binary accumulation's report follows from, O(1) in the rows, so that pieces of a dataset scored
/// anywhere can be merged. Losses are in nats; sums of weights are stored times 2^−weightExponent and sums of weighted
/// losses times 2^−(weightExponent + lossExponent), as the accumulator keeps them. Version 1.
/// </summary>
/// <remarks>Made by <see cref="BinaryLogLossAccumulator.ToState"/>, merged by <see cref="BinaryLogLossAccumulator.FromState"/> and <see cref="BinaryLogLossAccumulator.Merge"/>.</remarks>
/// <param name="Kind">"binary".</param>
/// <param name="Version">1.</param>
/// <param name="Epsilon">The clip the losses were computed with.</param>
/// <param name="PositiveWeight">w₊.</param>
/// <param name="LabelSmoothing">s.</param>
/// <param name="Predictions">"probabilities" or "logits".</param>
/// <param name="Count">Rows.</param>
/// <param name="PositiveCount">Rows with label exactly 1.</param>
/// <param name="NegativeCount">Rows with label exactly 0.</param>
/// <param name="ClippedCount">Probabilities outside [ε, 1 − ε].</param>
/// <param name="WeightExponent">k.</param>
/// <param name="LossExponent">L.</param>
/// <param name="WeightSum">Σw.</param>
/// <param name="LossSum">Σwℓ.</param>
/// <param name="PositiveTarget">Σwt.</param>
/// <param name="NegativeTarget">Σw(1 − t).</param>
/// <param name="PositiveCrossEntropy">Σw(−t ln p′), without w₊.</param>
/// <param name="NegativeLoss">Σw(−(1 − t) ln(1 − p′)).</param>
/// <param name="LabelEntropy">Σw H(t).</param>
/// <param name="KlDivergence">Σw KL(t ‖ p′).</param>
/// <param name="Dispersion">The losses' dispersion, for the standard error.</param>
public sealed record BinaryLogLossState(
    string Kind,
    int Version,
    double Epsilon,
    double PositiveWeight,
    double LabelSmoothing,
    string Predictions,
    long Count,
    long PositiveCount,
    long NegativeCount,
    long ClippedCount,
    int WeightExponent,
    int LossExponent,
    CompensatedValue WeightSum,
    CompensatedValue LossSum,
    CompensatedValue PositiveTarget,
    CompensatedValue NegativeTarget,
    CompensatedValue PositiveCrossEntropy,
    CompensatedValue NegativeLoss,
    CompensatedValue LabelEntropy,
    CompensatedValue KlDivergence,
    DispersionState Dispersion) : LogLossState(Kind, Version)
{
    /// <summary>The <see cref="LogLossState.Kind"/> of a binary state.</summary>
    public const string BinaryKind = "binary";

    /// <summary>The prediction kind <see cref="Predictions"/> names (probabilities unless "logits").</summary>
    public PredictionKind ToPredictionKind() => StateRules.KindOf(Predictions);

    /// <summary>The options the losses were computed with (in nats).</summary>
    public BinaryLossOptions ToOptions() => new(Epsilon, LossUnit.Nats, PositiveWeight, LabelSmoothing);

    /// <summary>
    /// Every field outside what an accumulation can produce, named as the API spells it ("weightSum", "count"):
    /// options out of range, negative or inconsistent counts, exponents beyond ±<see cref="LogLossState.MaxExponent"/>,
    /// non-finite sums, negative sums of non-negative terms.
    /// </summary>
    public override IReadOnlyList<OptionProblem> Problems()
    {
        if (KindProblems(BinaryKind) is { } kind)
        {
            return kind;
        }

        var problems = new List<OptionProblem>(ToOptions().Problems());
        StateRules.Predictions(problems, Predictions);
        if (Count < 0 || PositiveCount < 0 || NegativeCount < 0 || ClippedCount < 0)
        {
            problems.Add(new("count", "Counts must be ≥ 0."));
        }
        else if (PositiveCount + NegativeCount > Count || ClippedCount > Count)
        {
            problems.Add(new("count", "Must be at least positiveCount + negativeCount and at least clippedCount."));
        }

        StateRules.Exponents(problems, "weightExponent", WeightExponent, LossExponent);
        StateRules.Sum(problems, "weightSum", WeightSum);
        StateRules.Sum(problems, "lossSum", LossSum);
        StateRules.Sum(problems, "positiveTarget", PositiveTarget);
        StateRules.Sum(problems, "negativeTarget", NegativeTarget);
        StateRules.Sum(problems, "positiveCrossEntropy", PositiveCrossEntropy);
        StateRules.Sum(problems, "negativeLoss", NegativeLoss);
        StateRules.Sum(problems, "labelEntropy", LabelEntropy);
        // A divergence is ≥ 0, but its terms t(ln t − a) + … of soft labels round, so a sum may fall below 0 by rounding.
        var divergence = KlDivergence.Sum + KlDivergence.Compensation;
        var crossEntropy = PositiveCrossEntropy.Sum + PositiveCrossEntropy.Compensation + NegativeLoss.Sum + NegativeLoss.Compensation;
        if (!double.IsFinite(KlDivergence.Sum) || !double.IsFinite(KlDivergence.Compensation) || divergence < -1e-12 * Math.Abs(crossEntropy))
        {
            problems.Add(new("klDivergence", "Must be finite and ≥ 0 (sum plus compensation; below 0 only by the rounding of its terms)."));
        }

        StateRules.Dispersion(problems, "dispersion", Dispersion);
        return problems;
    }

    /// <inheritdoc/>
    public override IReadOnlyList<OptionProblem> DifferencesFrom(LogLossState first)
    {
        var problems = new List<OptionProblem>(0);
        if (first is BinaryLogLossState other)
        {
            StateRules.Differs(problems, "epsilon", other.Epsilon, Epsilon);
            StateRules.Differs(problems, "positiveWeight", other.PositiveWeight, PositiveWeight);
            StateRules.Differs(problems, "labelSmoothing", other.LabelSmoothing, LabelSmoothing);
            StateRules.Differs(problems, "predictions", other.Predictions, Predictions);
        }

        return problems;
    }
}
