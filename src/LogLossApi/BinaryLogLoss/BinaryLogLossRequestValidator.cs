using FluentValidation;
using LogLossApi.Validation;
using LogLossApi.Wire.Columns;
using LogLossApi.Wire.Input;

namespace LogLossApi.BinaryLogLoss;

/// <summary>
/// The shape of a JSON body of API.md § POST /v1/log-loss, with errors keyed by JSON path: the columns present and of
/// one length. The values and the options (the library's rules) are checked by the handler as the rows are read
/// (<see cref="BinaryRows.ReadCheckedAsync"/>), the same way for every media type, and reported together.
/// </summary>
public sealed class BinaryLogLossRequestValidator : AbstractValidator<BinaryLogLossRequest>
{
    public BinaryLogLossRequestValidator()
    {
        RuleFor(r => r).Custom((request, context) =>
        {
            if (request.Tabular is null)
            {
                ValidateShape(context, ColumnKeys.Json, request.Labels, request.Probabilities, request.Logits, request.Weights);
            }
        });
    }

    /// <summary>
    /// The shape every binary JSON body shares: labels present and non-empty, exactly one of probabilities and logits,
    /// and one prediction (and weight) per label.
    /// </summary>
    public static void ValidateShape<T>(ValidationContext<T> context, ColumnKeys keys, NumberColumn? labels, NumberColumn? probabilities, NumberColumn? logits, NumberColumn? weights)
    {
        ValidateLabels(context, keys, labels, values: false);
        var expected = labels?.Length ?? 0;
        ValidatePredictions(context, keys, probabilities, logits, expected, values: false);
        ValidateWeights(context, keys, weights, expected, values: false);
    }

    /// <summary>Labels present, non-empty and, when <paramref name="values"/>, each finite in [0, 1].</summary>
    public static void ValidateLabels<T>(ValidationContext<T> context, ColumnKeys keys, NumberColumn? labels, bool values = true)
    {
        if (labels is null)
        {
            ErrorBudget.Report(context, keys.Column("labels"), "Required: one label in [0, 1] per sample.");
        }
        else if (labels.Length == 0)
        {
            ErrorBudget.Report(context, keys.Column("labels"), "Must contain at least one sample.");
        }
        else if (values)
        {
            ArrayRules.Each(context, keys, "labels", labels.Span, ArrayRules.Label);
        }
    }

    /// <summary>Exactly one of probabilities and logits, <paramref name="expected"/> long; when <paramref name="values"/>, each in [0, 1] resp. finite.</summary>
    public static void ValidatePredictions<T>(ValidationContext<T> context, ColumnKeys keys, NumberColumn? probabilities, NumberColumn? logits, int expected, bool values = true)
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
                if (ArrayRules.SameLength(context, keys, "probabilities", p.Length, expected) && values)
                {
                    ArrayRules.Each(context, keys, "probabilities", p.Span, ArrayRules.FiniteInUnitInterval);
                }

                break;
            case (_, { } z):
                if (ArrayRules.SameLength(context, keys, "logits", z.Length, expected) && values)
                {
                    ArrayRules.Each(context, keys, "logits", z.Span, ArrayRules.Finite);
                }

                break;
        }
    }

    /// <summary>
    /// Optional weights, <paramref name="expected"/> long; when <paramref name="values"/>, each finite and ≥ 0, summing to
    /// more than 0. Their sum may be beyond the double range (weights near 1.8e308): the library scales weights
    /// before it sums them.
    /// </summary>
    public static void ValidateWeights<T>(ValidationContext<T> context, ColumnKeys keys, NumberColumn? weights, int expected, bool values = true)
    {
        if (weights is not null
            && ArrayRules.SameLength(context, keys, "weights", weights.Length, expected)
            && values
            && ArrayRules.Each(context, keys, "weights", weights.Span, ArrayRules.FiniteNonNegative) == 0
            && WeightSumProblem(System.Numerics.Tensors.TensorPrimitives.Sum(weights.Span)) is { } problem)
        {
            ErrorBudget.Report(context, keys.Column("weights"), problem);
        }
    }

    /// <summary>Why weights summing to <paramref name="sum"/> cannot be used, or null when they can.</summary>
    public static string? WeightSumProblem(double sum) => sum > 0 ? null : "Must sum to more than 0.";
}
