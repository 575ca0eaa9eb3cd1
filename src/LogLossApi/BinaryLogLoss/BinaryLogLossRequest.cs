using System.Text.Json.Serialization;
using LogLossApi.Hosting;
using LogLossApi.Scoring;
using LogLossApi.Validation;
using LogLossApi.Wire.Columns;
using LogLossApi.Wire.Input;
using LogLossApi.Wire.Input.Json;
using LogLossApi.Wire.Input.Tabular;

namespace LogLossApi.BinaryLogLoss;

/// <summary>Labels and predicted probabilities (or logits) to score with binary cross-entropy.</summary>
/// <param name="Labels">Required, non-empty; each a finite number in [0, 1]. 0 and 1 are hard labels, values between are soft labels.</param>
/// <param name="Probabilities">P(y = 1) for each label, each in [0, 1]. Send exactly one of probabilities and logits.</param>
/// <param name="Logits">Raw scores z with P(y = 1) = σ(z), each finite. Send exactly one of probabilities and logits.</param>
/// <param name="Weights">Optional sample weights, each finite and ≥ 0, summing to more than 0. Default: 1 each.</param>
/// <param name="Options">Optional clip, unit, positive weight, label smoothing and whether to return per-sample losses.</param>
public sealed record BinaryLogLossRequest(
    NumberColumn? Labels,
    NumberColumn? Probabilities,
    NumberColumn? Logits,
    NumberColumn? Weights,
    BinaryLogLossOptions? Options) : ISampleRequest, IOpenApiExample, ICsvRequestExample, IDisposable
{
    /// <summary>The seed article's ten points as CSV.</summary>
    public static string CsvRequestExample =>
        "label,probability\n" + string.Concat(SeedExample.Labels.Zip(SeedExample.Probabilities, (y, p) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{y},{p:R}\n")));

    private static readonly string[] QueryNames = ["epsilon", "unit", "positiveWeight", "labelSmoothing", "includeLosses", "includeState"];

    /// <summary>The samples of a JSON body (a CSV or Arrow body's are counted as they stream in).</summary>
    [JsonIgnore]
    public int SampleCount => Math.Max(Labels?.Length ?? 0, (Probabilities ?? Logits)?.Length ?? 0);

    /// <summary>A CSV or Arrow body, opened and checked for its columns but not yet read; null for JSON.</summary>
    [JsonIgnore]
    public TabularBinaryRows? Tabular { get; init; }

    [JsonIgnore]
    public bool IncludeLosses => Options?.IncludeLosses ?? true;

    [JsonIgnore]
    public bool IncludeState => Options?.IncludeState ?? false;

    /// <summary>The seed article's ten points with scikit-learn's logistic-regression probabilities.</summary>
    public static object Example => new BinaryLogLossRequest(
        NumberColumn.Of(SeedExample.Labels),
        NumberColumn.Of(SeedExample.Probabilities),
        Logits: null,
        Weights: null,
        Options: null);

    /// <summary>The body's rows, whatever its media type (a JSON body's columns must have passed the validator).</summary>
    public BinaryRows Rows() => Tabular ?? BinaryRows.Of(Labels!, Probabilities, Logits, Weights, ColumnKeys.Json);

    /// <summary>The options with their defaults filled in.</summary>
    public BinaryLossOptions LibraryOptions() => new(
        Options?.Epsilon ?? BinaryLossOptions.DefaultEpsilon,
        Options?.Unit ?? LossUnit.Nats,
        Options?.PositiveWeight ?? 1.0,
        Options?.LabelSmoothing ?? 0.0);

    /// <summary>
    /// Binds a JSON body through the column reader (<see cref="JsonBody"/>), or opens a CSV or Arrow body
    /// (<see cref="TabularBinaryRows"/>) with the options from the query string; nothing is scored here.
    /// </summary>
    public static async ValueTask<BinaryLogLossRequest?> BindAsync(HttpContext context)
    {
        if (TabularReader.FormatOf(context.Request.ContentType) is not { } format)
        {
            return await JsonBody.ReadAsync(context, BinaryLogLossJsonContext.Default.BinaryLogLossRequest, TabularReader.AcceptedWithJson);
        }

        var extra = context.GetEndpoint()?.Metadata.GetMetadata<TabularQueryMetadata>()?.ExtraQueryParameters ?? [];
        var query = new QueryOptions(context.Request.Query, [.. QueryNames, .. extra]);
        var options = new BinaryLogLossOptions(query.Number("epsilon"), query.Unit(), query.Number("positiveWeight"), query.Number("labelSmoothing"), query.Boolean("includeLosses"), query.Boolean("includeState"));
        return new BinaryLogLossRequest(null, null, null, null, options) { Tabular = await TabularBinaryRows.OpenAsync(context, format) };
    }

    /// <summary>Gives the columns' buffers back.</summary>
    public void Dispose()
    {
        Labels?.Dispose();
        Probabilities?.Dispose();
        Logits?.Dispose();
        Weights?.Dispose();
    }
}

/// <summary>Options of <c>POST /v1/log-loss</c>; every one may be left out.</summary>
/// <param name="Epsilon">Clip for probabilities, 0 &lt; ε &lt; 0.5: each p becomes clamp(p, ε, 1 − ε). Default 2.220446049250313e-16 (float64 machine epsilon, scikit-learn's eps="auto"). Ignored for logits.</param>
/// <param name="Unit">"nats" (default, natural log) or "bits" (nats / ln 2).</param>
/// <param name="PositiveWeight">w₊ &gt; 0 multiplying the positive term of each loss (PyTorch pos_weight). Default 1.</param>
/// <param name="LabelSmoothing">s in [0, 1): targets become y(1 − s) + s/2 (Keras label_smoothing). Default 0.</param>
/// <param name="IncludeLosses">Return the per-sample losses (default true); false leaves "losses" out of the response.</param>
/// <param name="IncludeState">Add the mergeable "state" of these rows to the response (default false), for POST /v1/log-loss/merge.</param>
public sealed record BinaryLogLossOptions(
    double? Epsilon,
    LossUnit? Unit,
    double? PositiveWeight,
    double? LabelSmoothing,
    bool? IncludeLosses,
    bool? IncludeState = null);

/// <summary>The worked example of the article the service explains: ten points scored by a logistic regression.</summary>
public static class SeedExample
{
    /// <summary>y for x = [−2.2, −1.4, −0.8, 0.2, 0.4, 0.8, 1.2, 2.2, 2.9, 4.6].</summary>
    public static double[] Labels => [0, 0, 1, 0, 1, 1, 1, 1, 1, 1];

    /// <summary>P(y = 1) from scikit-learn's default LogisticRegression fitted to the ten points.</summary>
    public static double[] Probabilities =>
    [
        0.18501694588837675, 0.33066645716621124, 0.46953487599649574, 0.7005509561946973, 0.7396807160034903,
        0.8073813101077348, 0.8607888409403036, 0.9423394207361665, 0.9699431223066409, 0.9940973546598824,
    ];
}
