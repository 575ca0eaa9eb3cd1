using System.Text.Json.Serialization;
using LogLossApi.Hosting;
using LogLossApi.Scoring;
using LogLossApi.Validation;
using LogLossApi.Wire.Columns;
using LogLossApi.Wire.Input.Json;

namespace LogLossApi.MulticlassLogLoss;

/// <summary>Class labels and an N × C matrix of predicted probabilities (or logits) to score with categorical cross-entropy.</summary>
/// <param name="Labels">Required, non-empty; each an integer class index 0 … C − 1.</param>
/// <param name="Probabilities">N rows of C probabilities, each row summing to 1 within 1e-6 (or set options.renormalize). Send exactly one of probabilities and logits.</param>
/// <param name="Logits">N rows of C raw scores; probabilities are their softmax. Send exactly one of probabilities and logits.</param>
/// <param name="Weights">Optional sample weights, each finite and ≥ 0, summing to more than 0. Default: 1 each.</param>
/// <param name="ClassNames">Optional: C distinct, non-empty names, returned with each class's figures.</param>
/// <param name="Options">Optional floor, unit, label smoothing, renormalization and whether to return per-sample losses.</param>
public sealed record MulticlassLogLossRequest(
    NumberColumn? Labels,
    NumberMatrix? Probabilities,
    NumberMatrix? Logits,
    NumberColumn? Weights,
    string[]? ClassNames,
    MulticlassLogLossOptions? Options) : ISampleRequest, IOpenApiExample, IDisposable
{
    [JsonIgnore]
    public int SampleCount => Math.Max(Labels?.Length ?? 0, (Probabilities ?? Logits)?.Rows ?? 0);

    [JsonIgnore]
    public int ClassCount => (Probabilities ?? Logits)?.Columns ?? 0;

    [JsonIgnore]
    public bool IncludeLosses => Options?.IncludeLosses ?? true;

    [JsonIgnore]
    public bool IncludeState => Options?.IncludeState ?? false;

    /// <summary>Four samples over three named classes.</summary>
    public static object Example => new MulticlassLogLossRequest(
        NumberColumn.Of([0, 2, 1, 2]),
        new NumberMatrix(NumberColumn.Of([0.7, 0.2, 0.1, 0.1, 0.1, 0.8, 0.3, 0.4, 0.3, 0.5, 0.25, 0.25]), 4, 3),
        Logits: null,
        Weights: null,
        ClassNames: ["red", "green", "blue"],
        Options: null);

    public static async ValueTask<MulticlassLogLossRequest?> BindAsync(HttpContext context) =>
        await JsonBody.ReadAsync(context, MulticlassLogLossJsonContext.Default.MulticlassLogLossRequest);

    /// <summary>The library's options with their defaults filled in.</summary>
    public MulticlassLossOptions LibraryOptions() => new(
        Options?.Epsilon ?? BinaryLossOptions.DefaultEpsilon,
        Options?.Unit ?? LossUnit.Nats,
        Options?.LabelSmoothing ?? 0.0,
        Options?.Renormalize ?? false);

    public void Dispose()
    {
        Labels?.Dispose();
        Probabilities?.Dispose();
        Logits?.Dispose();
        Weights?.Dispose();
    }
}

/// <summary>Options of <c>POST /v1/log-loss/multiclass</c>; every one may be left out.</summary>
/// <param name="Epsilon">Clip for probabilities, 0 &lt; ε &lt; 0.5: each P becomes clip(P, ε, 1 − ε), as scikit-learn clips. Default 2.220446049250313e-16. Ignored for logits.</param>
/// <param name="Unit">"nats" (default) or "bits".</param>
/// <param name="LabelSmoothing">s in [0, 1): targets become (1 − s)[c = y] + s/C. Default 0.</param>
/// <param name="Renormalize">false (default): a probability row that does not sum to 1 within 1e-6 is an error; true: rows may hold any finite values ≥ 0 and each is divided by its sum.</param>
/// <param name="IncludeLosses">Return the per-sample losses (default true).</param>
/// <param name="IncludeState">Return the mergeable `state` of these rows (default false): see POST /v1/log-loss/merge.</param>
public sealed record MulticlassLogLossOptions(
    double? Epsilon,
    LossUnit? Unit,
    double? LabelSmoothing,
    bool? Renormalize,
    bool? IncludeLosses,
    bool? IncludeState = null);
