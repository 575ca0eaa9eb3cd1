using FluentValidation;
using LogLossApi.BinaryLogLoss;
using LogLossApi.Wire.Input;

namespace LogLossApi.Calibration;

/// <summary>
/// The shape of a JSON body of API.md § POST /v1/log-loss/calibration, as /v1/log-loss's. The values (hard labels
/// included) and the options (1 … 1000 bins among them) are checked by the handler as the rows are read.
/// </summary>
public sealed class CalibrationRequestValidator : AbstractValidator<CalibrationRequest>
{
    public CalibrationRequestValidator()
    {
        RuleFor(r => r).Custom((request, context) =>
        {
            if (request.Tabular is null)
            {
                BinaryLogLossRequestValidator.ValidateShape(context, ColumnKeys.Json, request.Labels, request.Probabilities, request.Logits, request.Weights);
            }
        });
    }
}
