using FluentValidation;
using LogLossApi.Scoring;
using LogLossApi.Validation;
using LogLossApi.Wire.Input;

namespace LogLossApi.Regression;

/// <summary>The rules of API.md § POST /v1/logistic-regression, with errors keyed by JSON path.</summary>
public sealed class LogisticRegressionRequestValidator : AbstractValidator<LogisticRegressionRequest>
{
    public LogisticRegressionRequestValidator()
    {
        RuleFor(r => r).Custom(ValidateData);
        this.RuleForOptions(r => r.LibraryOptions().Problems());
    }

    private static readonly ValueRule Feature = new(-LogisticRegression.MaxFeatureMagnitude, LogisticRegression.MaxFeatureMagnitude, value =>
        !double.IsFinite(value) ? "Must be a finite number."
        : Math.Abs(value) > LogisticRegression.MaxFeatureMagnitude ? $"Must be within ±{LogisticRegression.MaxFeatureMagnitude.ToString("0e0", System.Globalization.CultureInfo.InvariantCulture)}: the fit multiplies features by each other; rescale (standardise) the feature first."
        : null);

    private static void ValidateData(LogisticRegressionRequest request, ValidationContext<LogisticRegressionRequest> context)
    {
        var keys = ColumnKeys.Json;
        if (request.X is not { Rows: > 0 } x)
        {
            ErrorBudget.Report(context, "x", "Required: one number, or one row of numbers, per sample.");
        }
        else if (x.Columns is < 1 or > LogisticRegressionRequest.MaxFeatures)
        {
            ErrorBudget.Report(context, "x", $"Each row must have 1 … {LogisticRegressionRequest.MaxFeatures} features; the first has {x.Columns}.");
        }
        else
        {
            ArrayRules.Each(x.Values.Span, Feature, (i, message) =>
                ErrorBudget.Report(context, x.Columns == 1 ? $"x[{i}]" : $"x[{i / x.Columns}][{i % x.Columns}]", message));
        }

        if (request.Y is not { Length: > 0 } y)
        {
            ErrorBudget.Report(context, "y", "Required: one label, 0 or 1, per sample.");
            return;
        }

        if (request.X is { } rows && rows.Rows != y.Length)
        {
            ErrorBudget.Report(context, "y", $"Must have one label per sample of x: {rows.Rows} expected, {y.Length} given.");
        }

        if (ArrayRules.Each(context, keys, "y", y.Span, ValueRule.PerValue(label => label is 0.0 or 1.0 ? null : "Must be 0 or 1.")) == 0)
        {
            var positives = System.Numerics.Tensors.TensorPrimitives.Sum(y.Span);
            if (positives == 0 || positives == y.Length)
            {
                ErrorBudget.Report(context, "y", $"Has only the class {(positives == 0 ? 0 : 1)}: a logistic regression needs samples of both classes (its intercept would diverge otherwise), as scikit-learn does.");
            }
        }
    }
}
