using FluentValidation;
using LogLossApi.BinaryLogLoss;
using LogLossApi.Scoring;
using LogLossApi.Validation;
using LogLossApi.Wire.Input;

namespace LogLossApi.Comparison;

/// <summary>The rules of API.md § POST /v1/log-loss/compare, with errors keyed by JSON path ("models[1].probabilities[3]").</summary>
public sealed class CompareRequestValidator : AbstractValidator<CompareRequest>
{
    public CompareRequestValidator()
    {
        RuleFor(r => r).Custom(ValidateModels);
        this.RuleForOptions(r => [.. r.LibraryOptions().Problems(), .. PairedComparison.LevelProblems(r.ConfidenceLevel)]);
    }

    private static void ValidateModels(CompareRequest request, ValidationContext<CompareRequest> context)
    {
        if (request.Models is not { Length: >= 2 } models)
        {
            ErrorBudget.Report(context, "models", "Send at least two models: the first is the reference the others are compared with.");
            if (request.Labels is null)
            {
                ErrorBudget.Report(context, "labels", "Required: one label in [0, 1] per sample.");
            }

            return;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var k = 0; k < models.Length; k++)
        {
            var model = models[k];
            if (string.IsNullOrWhiteSpace(model.Name))
            {
                ErrorBudget.Report(context, $"models[{k}].name", "Required: a non-empty name.");
            }
            else if (!names.Add(model.Name))
            {
                ErrorBudget.Report(context, $"models[{k}].name", $"'{model.Name}' is already the name of another model; names must be unique.");
            }

            // The labels and weights once, in the order a single-model request reports them; each model's predictions under models[k].
            var expected = request.Labels?.Length ?? 0;
            if (k == 0)
            {
                BinaryLogLossRequestValidator.ValidateLabels(context, ColumnKeys.Json, request.Labels);
            }

            BinaryLogLossRequestValidator.ValidatePredictions(context, new ModelKeys(k), model.Probabilities, model.Logits, expected);
            if (k == 0)
            {
                BinaryLogLossRequestValidator.ValidateWeights(context, ColumnKeys.Json, request.Weights, expected);
            }
        }
    }

    /// <summary>Keys a model's predictions under models[k].</summary>
    private sealed class ModelKeys(int model) : ColumnKeys
    {
        public override string Element(string column, long index) => $"{Column(column)}[{index}]";

        public override string Column(string column) => $"models[{model}].{column}";
    }
}
