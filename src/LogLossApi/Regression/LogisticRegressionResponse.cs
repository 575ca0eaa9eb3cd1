using LogLossApi.BinaryLogLoss;
using LogLossApi.Hosting;
using LogLossApi.Scoring;
using LogLossApi.Wire.Columns;

namespace LogLossApi.Regression;

/// <summary>The fitted model, its probabilities, and the whole log-loss breakdown of those probabilities.</summary>
/// <param name="Coefficients">β, one per feature.</param>
/// <param name="Intercept">b; 0 when fitIntercept is false.</param>
/// <param name="Probabilities">σ(xᵢ·β + b) for every sample, in input order.</param>
/// <param name="Iterations">Newton steps taken.</param>
/// <param name="Converged">Whether the last Newton step fell below 1e-10 · (1 + |θₖ|) in every entry, within 100 steps.</param>
/// <param name="LogLoss">The <c>/v1/log-loss</c> response for y and the fitted probabilities.</param>
public sealed record LogisticRegressionResponse(
    IReadOnlyList<double> Coefficients,
    double Intercept,
    NumberColumn Probabilities,
    int Iterations,
    bool Converged,
    BinaryLogLossResponse LogLoss) : IOpenApiExample
{
    public static object Example
    {
        get
        {
            using var request = (LogisticRegressionRequest)LogisticRegressionRequest.Example;
            return Fit(request, NumberColumn.Of(new double[request.SampleCount]), NumberColumn.Of(new double[request.SampleCount]));
        }
    }

    /// <summary>Fits the model into <paramref name="probabilities"/> and scores it into <paramref name="losses"/>.</summary>
    public static LogisticRegressionResponse Fit(LogisticRegressionRequest request, NumberColumn probabilities, NumberColumn losses)
    {
        var x = request.X!;
        var y = request.Y!.Span;
        var fit = LogisticRegression.Fit(x.Values.Span, x.Columns, y, request.LibraryOptions(), probabilities.WritableSpan);
        var report = BinaryCrossEntropy.Evaluate(
            new BinaryInput(y, probabilities.Span, PredictionKind.Probabilities, default, BinaryLossOptions.Default),
            losses.WritableSpan);
        return new LogisticRegressionResponse(fit.Coefficients, fit.Intercept, probabilities, fit.Iterations, fit.Converged, BinaryLogLossResponse.From(report, losses));
    }
}
