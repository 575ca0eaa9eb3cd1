using System.Text.Json.Serialization;
using LogLossApi.BinaryLogLoss;
using LogLossApi.Hosting;
using LogLossApi.Validation;
using LogLossApi.Wire.Columns;
using LogLossApi.Wire.Input.Json;

namespace LogLossApi.Regression;

/// <summary>Points and 0/1 labels to fit scikit-learn's default logistic regression to.</summary>
/// <param name="X">N numbers (one feature), or N rows of F numbers; all finite.</param>
/// <param name="Y">N labels, each 0 or 1, both classes present.</param>
/// <param name="Options">Optional regularisation and intercept.</param>
public sealed record LogisticRegressionRequest(
    [property: RowsOrNumbers] NumberMatrix? X,
    NumberColumn? Y,
    LogisticRegressionRequestOptions? Options) : ISampleRequest, IOpenApiExample, IDisposable
{
    /// <summary>The most features a request may have.</summary>
    public const int MaxFeatures = 1000;

    [JsonIgnore]
    public int SampleCount => Math.Max(X?.Rows ?? 0, Y?.Length ?? 0);

    /// <summary>The article's ten points: x on one axis, y their classes.</summary>
    public static object Example => new LogisticRegressionRequest(
        new NumberMatrix(NumberColumn.Of([-2.2, -1.4, -0.8, 0.2, 0.4, 0.8, 1.2, 2.2, 2.9, 4.6]), 10, 1, vector: true),
        NumberColumn.Of(SeedExample.Labels),
        Options: null);

    public static async ValueTask<LogisticRegressionRequest?> BindAsync(HttpContext context) =>
        await JsonBody.ReadAsync(context, LogisticRegressionJsonContext.Default.LogisticRegressionRequest);

    public Scoring.LogisticRegressionOptions LibraryOptions() => Scoring.LogisticRegressionOptions.Default with
    {
        C = Options?.C ?? 1.0,
        FitIntercept = Options?.FitIntercept ?? true,
    };

    public void Dispose()
    {
        X?.Dispose();
        Y?.Dispose();
    }
}

/// <summary>Options of <c>POST /v1/logistic-regression</c>.</summary>
/// <param name="C">Inverse L2 strength, finite and &gt; 0 (default 1.0, as scikit-learn).</param>
/// <param name="FitIntercept">Fit an unpenalised intercept (default true).</param>
public sealed record LogisticRegressionRequestOptions(double? C, bool? FitIntercept);
