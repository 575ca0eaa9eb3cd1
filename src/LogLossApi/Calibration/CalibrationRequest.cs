using System.Text.Json.Serialization;
using LogLossApi.BinaryLogLoss;
using LogLossApi.Hosting;
using LogLossApi.Scoring;
using LogLossApi.Validation;
using LogLossApi.Wire.Columns;
using LogLossApi.Wire.Input;
using LogLossApi.Wire.Input.Json;
using LogLossApi.Wire.Input.Tabular;

namespace LogLossApi.Calibration;

/// <summary>Hard labels and forecasts to decompose: how much of the log loss is miscalibration.</summary>
/// <param name="Labels">Required, non-empty; each 0 or 1 (calibration needs hard labels).</param>
/// <param name="Probabilities">P(y = 1) for each label, each in [0, 1]. Send exactly one of probabilities and logits.</param>
/// <param name="Logits">Raw scores z with P(y = 1) = σ(z), each finite. Send exactly one of probabilities and logits.</param>
/// <param name="Weights">Optional sample weights, each finite and ≥ 0, summing to more than 0.</param>
/// <param name="Options">Optional clip, unit and number of bins.</param>
public sealed record CalibrationRequest(
    NumberColumn? Labels,
    NumberColumn? Probabilities,
    NumberColumn? Logits,
    NumberColumn? Weights,
    CalibrationOptions? Options) : ISampleRequest, IOpenApiExample, ICsvRequestExample, IDisposable
{
    /// <summary>The seed article's ten points as CSV.</summary>
    public static string CsvRequestExample => BinaryLogLossRequest.CsvRequestExample;

    public const int DefaultBins = 10;

    [JsonIgnore]
    public int SampleCount => Math.Max(Labels?.Length ?? 0, (Probabilities ?? Logits)?.Length ?? 0);

    /// <summary>The seed article's ten points.</summary>
    public static object Example => new CalibrationRequest(
        NumberColumn.Of(SeedExample.Labels),
        NumberColumn.Of(SeedExample.Probabilities),
        Logits: null,
        Weights: null,
        Options: null);

    /// <summary>A CSV or Arrow body, opened and checked for its columns but not yet read; null for JSON.</summary>
    [JsonIgnore]
    public TabularBinaryRows? Tabular { get; init; }

    /// <summary>A JSON body, or a CSV or Arrow body with the options in the query string (epsilon, unit, bins).</summary>
    public static async ValueTask<CalibrationRequest?> BindAsync(HttpContext context)
    {
        if (TabularReader.FormatOf(context.Request.ContentType) is not { } format)
        {
            return await JsonBody.ReadAsync(context, CalibrationJsonContext.Default.CalibrationRequest, TabularReader.AcceptedWithJson);
        }

        var query = new QueryOptions(context.Request.Query, ["epsilon", "unit", "bins", "includeState", "stateBuckets"]);
        var options = new CalibrationOptions(query.Number("epsilon"), query.Unit(), query.WholeNumber("bins"), query.Boolean("includeState"), query.WholeNumber("stateBuckets"));
        return new CalibrationRequest(null, null, null, null, options) { Tabular = await TabularBinaryRows.OpenAsync(context, format) };
    }

    [JsonIgnore]
    public int Bins => Options?.Bins ?? DefaultBins;

    [JsonIgnore]
    public bool IncludeState => Options?.IncludeState ?? false;

    /// <summary>
    /// The option problems of the library's rules (clip, bins, buckets), and stateBuckets sent without includeState,
    /// which would otherwise be ignored.
    /// </summary>
    public IReadOnlyList<OptionProblem> OptionProblems() =>
    [
        .. LibraryOptions().Problems(),
        .. CalibrationDecomposition.BinsProblems(Bins),
        .. Options?.StateBuckets is { } buckets ? CalibrationHistogram.BucketProblems(buckets) : [],
        .. Options?.StateBuckets is not null && !IncludeState ? [new OptionProblem("stateBuckets", "Only shapes a state: send includeState: true as well, or leave stateBuckets out.")] : Array.Empty<OptionProblem>(),
    ];

    /// <summary>The body's rows, whatever its media type (a JSON body's columns must have passed the validator).</summary>
    public BinaryRows Rows() => Tabular ?? BinaryRows.Of(Labels!, Probabilities, Logits, Weights, ColumnKeys.Json);

    /// <summary>The options with their defaults filled in.</summary>
    public BinaryLossOptions LibraryOptions() => new(Options?.Epsilon ?? BinaryLossOptions.DefaultEpsilon, Options?.Unit ?? LossUnit.Nats, 1.0, 0.0);

    public void Dispose()
    {
        Labels?.Dispose();
        Probabilities?.Dispose();
        Logits?.Dispose();
        Weights?.Dispose();
    }
}

/// <summary>Options of <c>POST /v1/log-loss/calibration</c>.</summary>
/// <param name="Epsilon">Clip for probabilities, 0 &lt; ε &lt; 0.5 (default 2⁻⁵²), as /v1/log-loss.</param>
/// <param name="Unit">"nats" (default) or "bits".</param>
/// <param name="Bins">Equal-width forecast bins for the binned reliability view, 1 … 1000 (default 10).</param>
/// <param name="IncludeState">Return the mergeable `state` of these rows (default false): a histogram over stateBuckets equal-width forecast buckets; see POST /v1/log-loss/merge.</param>
/// <param name="StateBuckets">Buckets of the state's histogram, 10 … 1,000,000 (default 10,000); only with includeState. Bins whose edges fall on bucket edges (a number of bins dividing it) stay exact when states are merged.</param>
public sealed record CalibrationOptions(double? Epsilon, LossUnit? Unit, int? Bins, bool? IncludeState = null, int? StateBuckets = null);
