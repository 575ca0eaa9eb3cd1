namespace LogLossApi.Scoring;

/// <summary>One model of a <see cref="ComparisonState"/>: its name and its binary state.</summary>
/// <param name="Name">The model's name.</param>
/// <param name="State">Its losses' binary state.</param>
public sealed record ComparedModelState(string Name, BinaryLogLossState State);

/// <summary>
/// Everything a comparison's report follows from, O(models) in size: each model's binary state and, for each model
/// after the first, the moments of its paired differences dᵢ = ℓᵢ(model) − ℓᵢ(first), in nats. A row's losses under
/// every model must be in the same piece.
/// </summary>
/// <remarks>Made by <see cref="ModelComparisonAccumulator.ToState"/>, merged by <see cref="ModelComparisonAccumulator.FromState"/>.</remarks>
/// <param name="Kind">"compare".</param>
/// <param name="Version">1.</param>
/// <param name="Models">Two or more models, the first the reference.</param>
/// <param name="Differences">Models.Length − 1 moments, model k + 1 against model 0.</param>
public sealed record ComparisonState(string Kind, int Version, ComparedModelState[] Models, MomentsState[] Differences) : LogLossState(Kind, Version)
{
    /// <summary>The <see cref="LogLossState.Kind"/> of a comparison state.</summary>
    public const string CompareKind = "compare";

    /// <inheritdoc/>
    public override IReadOnlyList<OptionProblem> Problems()
    {
        if (KindProblems(CompareKind) is { } kind)
        {
            return kind;
        }

        var problems = new List<OptionProblem>(0);
        if (Models is null || Models.Length < 2 || Models.Any(m => m is null) || Differences is null || Differences.Length != Models.Length - 1)
        {
            problems.Add(new("models", "Must hold two or more models, and differences one entry fewer."));
            return problems;
        }

        if (Models.Any(m => string.IsNullOrEmpty(m.Name)) || Models.Select(m => m.Name).Distinct(StringComparer.Ordinal).Count() != Models.Length)
        {
            problems.Add(new("models", "Every model must have a distinct, non-empty name."));
        }

        var reference = Models[0].State;
        for (var k = 0; k < Models.Length; k++)
        {
            if (Models[k].State is not { } state)
            {
                problems.Add(new($"models[{k}].state", "Must be a binary state."));
                continue;
            }

            problems.AddRange(state.Problems().Select(p => p with { Option = $"models[{k}].state.{p.Option}" }));
            if (k > 0 && reference is not null && (state.Count != reference.Count || state.Epsilon != reference.Epsilon
                || state.PositiveWeight != reference.PositiveWeight || state.LabelSmoothing != reference.LabelSmoothing))
            {
                problems.Add(new($"models[{k}].state", "Must count the rows of models[0] and be made with its options: the models score the same rows."));
            }
        }

        for (var k = 0; k < Differences.Length; k++)
        {
            StateRules.Moments(problems, $"differences[{k}].", Differences[k], valuesNonNegative: false);
            if (reference is not null && Differences[k].Count != reference.Count)
            {
                problems.Add(new($"differences[{k}].count", "Must equal the models' count: every row has a difference."));
            }
        }

        return problems;
    }

    /// <inheritdoc/>
    public override IReadOnlyList<OptionProblem> DifferencesFrom(LogLossState first)
    {
        var problems = new List<OptionProblem>(0);
        if (first is ComparisonState other)
        {
            StateRules.DiffersInNames(problems, "models", other.Models.Select(m => m.Name).ToArray(), Models.Select(m => m.Name).ToArray());
            for (var k = 0; k < Math.Min(Models.Length, other.Models.Length); k++)
            {
                problems.AddRange(Models[k].State.DifferencesFrom(other.Models[k].State).Select(p => p with { Option = $"models[{k}].state.{p.Option}" }));
            }
        }

        return problems;
    }
}
