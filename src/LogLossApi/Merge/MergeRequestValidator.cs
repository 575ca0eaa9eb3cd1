using FluentValidation;
using LogLossApi.Scoring;
using LogLossApi.Validation;

namespace LogLossApi.Merge;

/// <summary>
/// States are client data, checked as strictly as rows: each one's fields (<see cref="LogLossState.Problems"/>) keyed
/// states[i].field, every state of the first's kind, made with its options (the error names the option and both
/// values), and options that apply to that kind only.
/// </summary>
public sealed class MergeRequestValidator : AbstractValidator<MergeRequest>
{
    public MergeRequestValidator() => RuleFor(r => r).Custom(ValidateStates);

    private static void ValidateStates(MergeRequest request, ValidationContext<MergeRequest> context)
    {
        if (request.States is not { Length: > 0 } states)
        {
            ErrorBudget.Report(context, "states", "Send at least one state: the \"state\" of a response made with includeState.");
            return;
        }

        var first = states[0];
        var firstIsSound = false;
        for (var i = 0; i < states.Length; i++)
        {
            if (states[i] is not { } state)
            {
                ErrorBudget.Report(context, $"states[{i}]", "Must be a state object, not null.");
                continue;
            }

            var problems = state.Problems();
            foreach (var problem in problems)
            {
                ErrorBudget.Report(context, $"states[{i}].{problem.Option}", problem.Message);
            }

            // Options are compared only between sound states: a state with problems has nothing reliable to compare.
            firstIsSound |= i == 0 && problems.Count == 0;
            if (i == 0 || !firstIsSound || problems.Count > 0 || first is null)
            {
                continue;
            }

            if (state.Kind != first.Kind)
            {
                ErrorBudget.Report(context, $"states[{i}].kind", $"Is \"{state.Kind}\", but states[0] is \"{first.Kind}\": merge states of one kind at a time.");
                continue;
            }

            foreach (var difference in state.DifferencesFrom(first))
            {
                ErrorBudget.Report(context, $"states[{i}].{difference.Option}", difference.Message);
            }
        }

        ValidateOptions(request, first, context);
    }

    /// <summary>The report's options: each in range, and each sent only for the kind it shapes.</summary>
    private static void ValidateOptions(MergeRequest request, LogLossState? first, ValidationContext<MergeRequest> context)
    {
        if (request.Options?.ConfidenceLevel is { } level)
        {
            Report(context, first is ComparisonState, "confidenceLevel", "compare", PairedComparison.LevelProblems(level));
        }

        if (request.Options?.Bins is { } bins)
        {
            Report(context, first is CalibrationState, "bins", "calibration", CalibrationDecomposition.BinsProblems(bins));
        }
    }

    private static void Report(ValidationContext<MergeRequest> context, bool applies, string option, string kind, IReadOnlyList<OptionProblem> problems)
    {
        if (!applies)
        {
            ErrorBudget.Report(context, $"options.{option}", $"Shapes the report of {kind} states only: leave it out for these states.");
            return;
        }

        foreach (var problem in problems)
        {
            ErrorBudget.Report(context, $"options.{problem.Option}", problem.Message);
        }
    }
}
