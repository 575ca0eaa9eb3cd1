using System.Globalization;
using FluentValidation;
using LogLossApi.Scoring;
using LogLossApi.Validation;

namespace LogLossApi.Merge;

/// <summary>
/// States are client data, checked as strictly as rows: each one's fields (<see cref="BinaryLogLossState.Problems"/>)
/// keyed states[i].field, and every state's options against the first's, naming the option and both values.
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

        for (var i = 0; i < states.Length; i++)
        {
            if (states[i] is not { } state)
            {
                ErrorBudget.Report(context, $"states[{i}]", "Must be a state object, not null.");
                continue;
            }

            foreach (var problem in state.Problems())
            {
                ErrorBudget.Report(context, $"states[{i}].{problem.Option}", problem.Message);
            }

            if (i > 0 && states[0] is { } first)
            {
                ReportDifference(context, i, "epsilon", first.Epsilon, state.Epsilon);
                ReportDifference(context, i, "positiveWeight", first.PositiveWeight, state.PositiveWeight);
                ReportDifference(context, i, "labelSmoothing", first.LabelSmoothing, state.LabelSmoothing);
                if (!string.Equals(first.Predictions, state.Predictions, StringComparison.Ordinal))
                {
                    ErrorBudget.Report(context, $"states[{i}].predictions", $"Made from {state.Predictions}, but states[0] from {first.Predictions}: only states made the same way can be merged.");
                }
            }
        }
    }

    private static void ReportDifference(ValidationContext<MergeRequest> context, int index, string option, double first, double value)
    {
        if (!first.Equals(value))
        {
            ErrorBudget.Report(context, $"states[{index}].{option}", string.Create(CultureInfo.InvariantCulture, $"Made with {option} = {value:R}, but states[0] with {first:R}: only states made with the same options can be merged."));
        }
    }
}
