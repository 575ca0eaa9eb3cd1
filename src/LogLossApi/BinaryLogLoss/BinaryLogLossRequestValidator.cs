using FluentValidation;
using LogLossApi.Infrastructure;
using LogLossApi.Wire;

namespace LogLossApi.BinaryLogLoss;

/// <summary>The rules of API.md § POST /v1/log-loss, with errors keyed by JSON path.</summary>
public sealed class BinaryLogLossRequestValidator : AbstractValidator<BinaryLogLossRequest>
{
    public BinaryLogLossRequestValidator()
    {
        RuleFor(r => r).Custom(ValidateSamples);

        When(r => r.Options is not null, () =>
        {
            RuleFor(r => r.Options!.Epsilon).Epsilon();
            RuleFor(r => r.Options!.PositiveWeight)
                .Must(w => w > 0 && double.IsFinite(w!.Value))
                .When(r => r.Options!.PositiveWeight is not null)
                .OverridePropertyName("options.positiveWeight")
                .WithMessage("Must be a finite number greater than 0.");
            RuleFor(r => r.Options!.LabelSmoothing).LabelSmoothing();
        });
    }

    private static void ValidateSamples(BinaryLogLossRequest request, ValidationContext<BinaryLogLossRequest> context)
    {
        if (request.Streamed is { } streamed)
        {
            streamed.ReportTo(context);
            return;
        }

        ValidateColumns(context, request.Keys, request.Labels, request.Probabilities, request.Logits, request.Weights);
    }

    /// <summary>
    /// The sample rules every binary endpoint shares: labels in [0, 1], exactly one of probabilities (in [0, 1]) and
    /// logits (finite), one value per label, weights finite, ≥ 0 and summing to a finite number above 0.
    /// </summary>
    public static void ValidateColumns<T>(ValidationContext<T> context, ColumnKeys keys, NumberColumn? labelColumn, NumberColumn? probabilityColumn, NumberColumn? logitColumn, NumberColumn? weightColumn)
    {
        var request = (Labels: labelColumn, Probabilities: probabilityColumn, Logits: logitColumn, Weights: weightColumn);
        if (request.Labels is not { } labels)
        {
            ErrorBudget.Report(context, keys.Column("labels"), "Required: one label in [0, 1] per sample.");
        }
        else if (labels.Length == 0)
        {
            ErrorBudget.Report(context, keys.Column("labels"), "Must contain at least one sample.");
        }
        else
        {
            ArrayRules.Each(context, keys, "labels", labels.Span, ArrayRules.FiniteInUnitInterval);
        }

        var expected = request.Labels?.Length ?? 0;
        switch ((request.Probabilities, request.Logits))
        {
            case (null, null):
                ErrorBudget.Report(context, keys.Column("probabilities"), "Send either probabilities or logits.");
                break;
            case (not null, not null):
                ErrorBudget.Report(context, keys.Column("logits"), "Send either probabilities or logits, not both.");
                break;
            case ({ } probabilities, _):
                if (ArrayRules.SameLength(context, keys, "probabilities", probabilities.Length, expected))
                {
                    ArrayRules.Each(context, keys, "probabilities", probabilities.Span, ArrayRules.FiniteInUnitInterval);
                }

                break;
            case (_, { } logits):
                if (ArrayRules.SameLength(context, keys, "logits", logits.Length, expected))
                {
                    ArrayRules.Each(context, keys, "logits", logits.Span, ArrayRules.Finite);
                }

                break;
        }

        if (request.Weights is { } weights
            && ArrayRules.SameLength(context, keys, "weights", weights.Length, expected)
            && ArrayRules.Each(context, keys, "weights", weights.Span, ArrayRules.FiniteNonNegative) == 0)
        {
            var sum = System.Numerics.Tensors.TensorPrimitives.Sum(weights.Span);
            if (WeightSumProblem(sum) is { } problem)
            {
                ErrorBudget.Report(context, keys.Column("weights"), problem);
            }
        }
    }

    /// <summary>Why weights summing to <paramref name="sum"/> cannot be used, or null when they can.</summary>
    public static string? WeightSumProblem(double sum) =>
        sum > 0 && double.IsFinite(sum) ? null
        : sum > 0 ? "Must sum to a finite number."
        : "Must sum to more than 0.";
}
