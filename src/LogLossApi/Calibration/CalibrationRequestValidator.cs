using FluentValidation;
using LogLossApi.BinaryLogLoss;
using LogLossApi.Infrastructure;

namespace LogLossApi.Calibration;

/// <summary>The rules of API.md § POST /v1/log-loss/calibration: /v1/log-loss's, plus hard labels and 1 … 1000 bins.</summary>
public sealed class CalibrationRequestValidator : AbstractValidator<CalibrationRequest>
{
    public CalibrationRequestValidator()
    {
        RuleFor(r => r).Custom((request, context) =>
        {
            BinaryLogLossRequestValidator.ValidateColumns(context, request.Keys, request.Labels, request.Probabilities, request.Logits, request.Weights);
            if (request.Labels is { } labels)
            {
                ArrayRules.Each(context, request.Keys, "labels", labels.Span, ValueRule.PerValue(label =>
                    label is 0.0 or 1.0 || !double.IsFinite(label) || label is < 0 or > 1
                        ? null
                        : "Must be 0 or 1: calibration compares forecasts with observed events, so soft labels cannot be used here."));
            }
        });
        RuleFor(r => r.Options!.Epsilon).Epsilon().When(r => r.Options is not null);
        RuleFor(r => r.Options!.Bins)
            .Must(b => b is null or (>= 1 and <= 1000))
            .When(r => r.Options is not null)
            .OverridePropertyName("options.bins")
            .WithMessage("Must be an integer from 1 to 1000.");
    }
}
