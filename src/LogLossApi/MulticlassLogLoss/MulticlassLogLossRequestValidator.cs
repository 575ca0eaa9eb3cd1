using FluentValidation;
using LogLossApi.Validation;
using LogLossApi.Wire.Columns;
using LogLossApi.Wire.Input;

namespace LogLossApi.MulticlassLogLoss;

/// <summary>The rules of API.md § POST /v1/log-loss/multiclass, with errors keyed by JSON path.</summary>
public sealed class MulticlassLogLossRequestValidator : AbstractValidator<MulticlassLogLossRequest>
{
    /// <summary>How far a probability row's sum may be from 1 without options.renormalize.</summary>
    public const double RowSumTolerance = 1e-6;

    public MulticlassLogLossRequestValidator()
    {
        RuleFor(r => r).Custom(ValidateSamples);

        this.RuleForOptions(r => r.LibraryOptions().Problems());
    }

    private static void ValidateSamples(MulticlassLogLossRequest request, ValidationContext<MulticlassLogLossRequest> context)
    {
        var keys = ColumnKeys.Json;
        var matrix = request switch
        {
            { Probabilities: null, Logits: null } => Report(context, "probabilities", "Send either probabilities or logits."),
            { Probabilities: not null, Logits: not null } => Report(context, "logits", "Send either probabilities or logits, not both."),
            _ => request.Probabilities ?? request.Logits,
        };
        var name = request.Probabilities is not null ? "probabilities" : "logits";
        var classes = matrix?.Columns ?? 0;
        if (matrix is not null && classes < 2)
        {
            Report(context, name, $"Each row must have at least 2 values (one per class); the first has {classes}.");
            matrix = null;
        }

        if (request.Labels is not { Length: > 0 } labels)
        {
            Report(context, "labels", request.Labels is null ? "Required: one class index per sample." : "Must contain at least one sample.");
        }
        else if (matrix is not null)
        {
            ArrayRules.Each(context, keys, "labels", labels.Span, ValueRule.PerValue(label =>
                !double.IsInteger(label) || label < 0 || label >= classes ? $"Must be a class index: an integer in 0 … {classes - 1}." : null));
            if (matrix.Rows != labels.Length)
            {
                Report(context, name, $"Must have one row per label: {labels.Length} expected, {matrix.Rows} given.");
            }
            else if (request.Probabilities is not null)
            {
                CheckProbabilityRows(context, matrix, request.Options?.Renormalize ?? false);
            }
            else
            {
                ArrayRules.Each(matrix.Values.Span, ArrayRules.Finite, (i, message) => ErrorBudget.Report(context, $"logits[{i / classes}][{i % classes}]", message));
            }
        }

        if (request.ClassNames is { } names && matrix is not null)
        {
            if (names.Length != classes)
            {
                Report(context, "classNames", $"Must have one name per class: {classes} expected, {names.Length} given.");
            }
            else if (names.Any(string.IsNullOrWhiteSpace) || names.Distinct(StringComparer.Ordinal).Count() != names.Length)
            {
                Report(context, "classNames", "Names must be non-empty and distinct.");
            }
        }

        BinaryLogLoss.BinaryLogLossRequestValidator.ValidateWeights(context, keys, request.Weights, request.Labels?.Length ?? 0);
    }

    private static void CheckProbabilityRows(ValidationContext<MulticlassLogLossRequest> context, NumberMatrix matrix, bool renormalize)
    {
        for (var row = 0; row < matrix.Rows; row++)
        {
            var values = matrix.Row(row);
            var rule = renormalize ? ArrayRules.FiniteNonNegative : ArrayRules.FiniteInUnitInterval;
            if (ArrayRules.Each(values, rule, (c, message) => ErrorBudget.Report(context, $"probabilities[{row}][{c}]", message)) > 0)
            {
                continue;
            }

            var sum = System.Numerics.Tensors.TensorPrimitives.Sum(values);
            if (renormalize ? !(sum > 0) : Math.Abs(sum - 1) > RowSumTolerance)
            {
                ErrorBudget.Report(context, $"probabilities[{row}]", renormalize
                    ? "Sums to 0, so it cannot be renormalized."
                    : $"Sums to {sum.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}, not 1 (within {RowSumTolerance}); fix the row or set options.renormalize.");
            }
        }
    }

    private static NumberMatrix? Report(ValidationContext<MulticlassLogLossRequest> context, string key, string message)
    {
        ErrorBudget.Report(context, key, message);
        return null;
    }
}
