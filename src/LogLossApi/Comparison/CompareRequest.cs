using System.Text.Json.Serialization;
using LogLossApi.BinaryLogLoss;
using LogLossApi.Hosting;
using LogLossApi.Scoring;
using LogLossApi.Validation;
using LogLossApi.Wire.Columns;
using LogLossApi.Wire.Input.Json;

namespace LogLossApi.Comparison;

/// <summary>The same labels scored under two or more models; each model is compared with the first.</summary>
/// <param name="Labels">Required, non-empty; each in [0, 1].</param>
/// <param name="Weights">Optional sample weights, each finite and ≥ 0, summing to more than 0.</param>
/// <param name="Models">Two or more models, each with a unique non-empty name and either probabilities or logits, one per label. The first is the reference.</param>
/// <param name="Options">Optional clip, unit and confidence level.</param>
public sealed record CompareRequest(
    NumberColumn? Labels,
    NumberColumn? Weights,
    ModelPredictions[]? Models,
    CompareOptions? Options) : ISampleRequest, IOpenApiExample, IDisposable
{
    [JsonIgnore]
    public int SampleCount => Math.Max(Labels?.Length ?? 0, Models?.Select(m => (m.Probabilities ?? m.Logits)?.Length ?? 0).DefaultIfEmpty(0).Max() ?? 0);

    [JsonIgnore]
    public double ConfidenceLevel => Options?.ConfidenceLevel ?? PairedComparison.DefaultLevel;

    [JsonIgnore]
    public bool IncludeState => Options?.IncludeState ?? false;

    /// <summary>The seed's model against always forecasting the base rate 0.7.</summary>
    public static object Example => new CompareRequest(
        NumberColumn.Of(SeedExample.Labels),
        Weights: null,
        [
            new ModelPredictions("base rate", NumberColumn.Of(Enumerable.Repeat(0.7, 10).ToArray()), null),
            new ModelPredictions("logistic regression", NumberColumn.Of(SeedExample.Probabilities), null),
        ],
        Options: null);

    public static async ValueTask<CompareRequest?> BindAsync(HttpContext context) =>
        await JsonBody.ReadAsync(context, CompareJsonContext.Default.CompareRequest);

    /// <summary>The options with their defaults filled in.</summary>
    public BinaryLossOptions LibraryOptions() => new(Options?.Epsilon ?? BinaryLossOptions.DefaultEpsilon, Options?.Unit ?? LossUnit.Nats, 1.0, 0.0);

    public void Dispose()
    {
        Labels?.Dispose();
        Weights?.Dispose();
        foreach (var model in Models ?? [])
        {
            model.Probabilities?.Dispose();
            model.Logits?.Dispose();
        }
    }
}

/// <summary>One model's predictions.</summary>
/// <param name="Name">Unique, non-empty.</param>
/// <param name="Probabilities">P(y = 1) per label, each in [0, 1]; or send logits.</param>
/// <param name="Logits">Raw scores per label, each finite; or send probabilities.</param>
public sealed record ModelPredictions(string? Name, NumberColumn? Probabilities, NumberColumn? Logits);

/// <summary>Options of <c>POST /v1/log-loss/compare</c>.</summary>
/// <param name="Epsilon">Clip for probabilities, 0 &lt; ε &lt; 0.5 (default 2⁻⁵²).</param>
/// <param name="Unit">"nats" (default) or "bits".</param>
/// <param name="ConfidenceLevel">Level of each difference's confidence interval, in (0, 1) (default 0.95).</param>
/// <param name="IncludeState">Return the mergeable `state` of these rows (default false): see POST /v1/log-loss/merge.</param>
public sealed record CompareOptions(double? Epsilon, LossUnit? Unit, double? ConfidenceLevel, bool? IncludeState = null);
