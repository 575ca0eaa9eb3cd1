namespace LogLossApi.Scoring;

/// <summary>One true class's sums in a <see cref="MulticlassLogLossState"/>, on the moments' scale.</summary>
/// <param name="Count">Rows whose label is this class.</param>
/// <param name="Weight">Their Σw, times 2⁻ᵏ.</param>
/// <param name="LossSum">Their Σwℓ, times 2⁻⁽ᵏ⁺ᴸ⁾.</param>
public readonly record struct MulticlassClassState(long Count, CompensatedValue Weight, CompensatedValue LossSum);

/// <summary>
/// Everything a categorical accumulation's report follows from, O(C) in size. Losses in nats.
/// </summary>
/// <remarks>Made by <see cref="MulticlassLogLossAccumulator.ToState"/>, merged by <see cref="MulticlassLogLossAccumulator.FromState"/>.</remarks>
/// <param name="Kind">"multiclass".</param>
/// <param name="Version">1.</param>
/// <param name="Epsilon">The clip the losses were computed with.</param>
/// <param name="LabelSmoothing">s.</param>
/// <param name="Renormalize">Whether probability rows were divided by their sums.</param>
/// <param name="Predictions">"probabilities" or "logits".</param>
/// <param name="ClassCount">C ≥ 2.</param>
/// <param name="ClassNames">The classes' names, or null when the request named none.</param>
/// <param name="ClippedCount">Rows with an entry outside [ε, 1 − ε].</param>
/// <param name="Moments">Count, Σw, Σwℓ and the losses' dispersion.</param>
/// <param name="Classes">Per true class, C entries in index order.</param>
public sealed record MulticlassLogLossState(
    string Kind,
    int Version,
    double Epsilon,
    double LabelSmoothing,
    bool Renormalize,
    string Predictions,
    int ClassCount,
    string[]? ClassNames,
    long ClippedCount,
    MomentsState Moments,
    MulticlassClassState[] Classes) : LogLossState(Kind, Version)
{
    /// <summary>The <see cref="LogLossState.Kind"/> of a multiclass state.</summary>
    public const string MulticlassKind = "multiclass";

    /// <summary>The options the losses were computed with (in nats).</summary>
    public MulticlassLossOptions ToOptions() => new(Epsilon, LossUnit.Nats, LabelSmoothing, Renormalize);

    /// <inheritdoc/>
    public override IReadOnlyList<OptionProblem> Problems()
    {
        if (KindProblems(MulticlassKind) is { } kind)
        {
            return kind;
        }

        var problems = new List<OptionProblem>(ToOptions().Problems());
        StateRules.Predictions(problems, Predictions);
        if (Classes is null || ClassCount < 2 || Classes.Length != ClassCount)
        {
            problems.Add(new("classes", "Must hold one entry per class, classCount ≥ 2 of them."));
            return problems;
        }

        if (ClassNames is not null && (ClassNames.Length != ClassCount || ClassNames.Any(string.IsNullOrEmpty) || ClassNames.Distinct(StringComparer.Ordinal).Count() != ClassCount))
        {
            problems.Add(new("classNames", "Must be null or classCount distinct, non-empty names."));
        }

        StateRules.Moments(problems, "moments.", Moments, valuesNonNegative: true);
        long rows = 0;
        for (var c = 0; c < Classes.Length; c++)
        {
            var entry = Classes[c];
            if (entry.Count < 0)
            {
                problems.Add(new($"classes[{c}].count", "Must be ≥ 0."));
            }

            rows += Math.Max(0, entry.Count);
            StateRules.Sum(problems, $"classes[{c}].weight", entry.Weight);
            StateRules.Sum(problems, $"classes[{c}].lossSum", entry.LossSum);
        }

        if (rows != Moments.Count)
        {
            problems.Add(new("moments.count", "Must equal the sum of the classes' counts: every row has one true class."));
        }

        if (ClippedCount < 0 || ClippedCount > Moments.Count)
        {
            problems.Add(new("clippedCount", "Must be from 0 to moments.count."));
        }

        return problems;
    }

    /// <inheritdoc/>
    public override IReadOnlyList<OptionProblem> DifferencesFrom(LogLossState first)
    {
        var problems = new List<OptionProblem>(0);
        if (first is MulticlassLogLossState other)
        {
            StateRules.Differs(problems, "epsilon", other.Epsilon, Epsilon);
            StateRules.Differs(problems, "labelSmoothing", other.LabelSmoothing, LabelSmoothing);
            StateRules.Differs(problems, "renormalize", other.Renormalize, Renormalize);
            StateRules.Differs(problems, "predictions", other.Predictions, Predictions);
            StateRules.Differs(problems, "classCount", other.ClassCount, ClassCount);
            StateRules.DiffersInNames(problems, "classNames", other.ClassNames, ClassNames);
        }

        return problems;
    }
}
