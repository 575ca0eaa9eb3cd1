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

        // Conditions per rule, not one When(…) around them: FluentValidation caches a group's condition per request
        // in a dictionary keyed by the request's identity hash, which cost ~4 % of a 100-sample request's CPU.
        RuleFor(r => r.Options!.Epsilon).Epsilon().When(r => r.Options is not null);
        RuleFor(r => r.Options!.PositiveWeight)
            .Must(w => w > 0 && double.IsFinite(w!.Value))
            .When(r => r.Options?.PositiveWeight is not null)
            .OverridePropertyName("options.positiveWeight")
            .WithMessage("Must be a finite number greater than 0.");
        RuleFor(r => r.Options!.LabelSmoothing).LabelSmoothing().When(r => r.Options is not null);
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
    public static void ValidateColumns<T>(ValidationContext<T> context, ColumnKeys keys, NumberColumn? labels, NumberColumn? probabilities, NumberColumn? logits, NumberColumn? weights)
    {
        ValidateLabels(context, keys, labels);
        var expected = labels?.Length ?? 0;
        ValidatePredictions(context, keys, probabilities, logits, expected);
        ValidateWeights(context, keys, weights, expected);
    }

    /// <summary>Labels present, non-empty, each finite in [0, 1].</summary>
    public static void ValidateLabels<T>(ValidationContext<T> context, ColumnKeys keys, NumberColumn? labels)
    {
        if (labels is null)
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
    }

    /// <summary>Exactly one of probabilities (each in [0, 1]) and logits (each finite), <paramref name="expected"/> long.</summary>
    public static void ValidatePredictions<T>(ValidationContext<T> context, ColumnKeys keys, NumberColumn? probabilities, NumberColumn? logits, int expected)
    {
        switch ((probabilities, logits))
        {
            case (null, null):
                ErrorBudget.Report(context, keys.Column("probabilities"), "Send either probabilities or logits.");
                break;
            case (not null, not null):
                ErrorBudget.Report(context, keys.Column("logits"), "Send either probabilities or logits, not both.");
                break;
            case ({ } p, _):
                if (ArrayRules.SameLength(context, keys, "probabilities", p.Length, expected))
                {
                    ArrayRules.Each(context, keys, "probabilities", p.Span, ArrayRules.FiniteInUnitInterval);
                }

                break;
            case (_, { } z):
                if (ArrayRules.SameLength(context, keys, "logits", z.Length, expected))
                {
                    ArrayRules.Each(context, keys, "logits", z.Span, ArrayRules.Finite);
                }

                break;
        }
    }

    /// <summary>
    /// Optional weights: <paramref name="expected"/> long, each finite and ≥ 0, summing to more than 0. Their sum may
    /// be beyond the double range (weights near 1.8e308): the library scales weights before it sums them.
    /// </summary>
    public static void ValidateWeights<T>(ValidationContext<T> context, ColumnKeys keys, NumberColumn? weights, int expected)
    {
        if (weights is not null
            && ArrayRules.SameLength(context, keys, "weights", weights.Length, expected)
            && ArrayRules.Each(context, keys, "weights", weights.Span, ArrayRules.FiniteNonNegative) == 0
            && WeightSumProblem(System.Numerics.Tensors.TensorPrimitives.Sum(weights.Span)) is { } problem)
        {
            ErrorBudget.Report(context, keys.Column("weights"), problem);
        }
    }

    /// <summary>Why weights summing to <paramref name="sum"/> cannot be used, or null when they can.</summary>
    public static string? WeightSumProblem(double sum) => sum > 0 ? null : "Must sum to more than 0.";
}
