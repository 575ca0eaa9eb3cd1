using FluentValidation;
using LogLossApi.Infrastructure;

namespace LogLossApi.BinaryLogLoss;

/// <summary>The rules of API.md § POST /v1/log-loss, with errors keyed by JSON path.</summary>
public sealed class BinaryLogLossRequestValidator : AbstractValidator<BinaryLogLossRequest>
{
    public BinaryLogLossRequestValidator()
    {
        RuleFor(r => r).Custom(ValidateSamples);

        When(r => r.Options is not null, () =>
        {
            RuleFor(r => r.Options!.Epsilon)
                .Must(e => e is > 0 and < 0.5)
                .When(r => r.Options!.Epsilon is not null)
                .OverridePropertyName("options.epsilon")
                .WithMessage("Must be greater than 0 and less than 0.5.");
            RuleFor(r => r.Options!.PositiveWeight)
                .Must(w => w > 0 && double.IsFinite(w!.Value))
                .When(r => r.Options!.PositiveWeight is not null)
                .OverridePropertyName("options.positiveWeight")
                .WithMessage("Must be a finite number greater than 0.");
            RuleFor(r => r.Options!.LabelSmoothing)
                .Must(s => s is >= 0 and < 1)
                .When(r => r.Options!.LabelSmoothing is not null)
                .OverridePropertyName("options.labelSmoothing")
                .WithMessage("Must be in [0, 1).");
        });
    }

    private static void ValidateSamples(BinaryLogLossRequest request, ValidationContext<BinaryLogLossRequest> context)
    {
        if (request.Labels is not { } labels)
        {
            ErrorBudget.Report(context, "labels", "Required: one label in [0, 1] per sample.");
        }
        else if (labels.Length == 0)
        {
            ErrorBudget.Report(context, "labels", "Must contain at least one sample.");
        }
        else
        {
            ArrayRules.Each(context, "labels", labels.Span, ArrayRules.FiniteInUnitInterval);
        }

        var expected = request.Labels?.Length ?? 0;
        switch (request)
        {
            case { Probabilities: null, Logits: null }:
                ErrorBudget.Report(context, "probabilities", "Send either probabilities or logits.");
                break;
            case { Probabilities: not null, Logits: not null }:
                ErrorBudget.Report(context, "logits", "Send either probabilities or logits, not both.");
                break;
            case { Probabilities: { } probabilities }:
                if (ArrayRules.SameLength(context, "probabilities", probabilities.Length, expected))
                {
                    ArrayRules.Each(context, "probabilities", probabilities.Span, ArrayRules.FiniteInUnitInterval);
                }

                break;
            case { Logits: { } logits }:
                if (ArrayRules.SameLength(context, "logits", logits.Length, expected))
                {
                    ArrayRules.Each(context, "logits", logits.Span, ArrayRules.Finite);
                }

                break;
        }

        if (request.Weights is { } weights
            && ArrayRules.SameLength(context, "weights", weights.Length, expected)
            && ArrayRules.Each(context, "weights", weights.Span, ArrayRules.FiniteNonNegative) == 0)
        {
            var sum = System.Numerics.Tensors.TensorPrimitives.Sum(weights.Span);
            if (!(sum > 0 && double.IsFinite(sum)))
            {
                ErrorBudget.Report(context, "weights", sum > 0 ? "Must sum to a finite number." : "Must sum to more than 0.");
            }
        }
    }
}
