using System.Globalization;
using System.Text.Json.Serialization;

namespace LogLossApi.Scoring;

/// <summary>
/// What an accumulation's report follows from, O(its options and classes, models or buckets) and never O(rows), so that
/// pieces of one dataset scored anywhere can be merged: the client holds the states, the service stays stateless.
/// Every state is in nats and carries the options that shaped its losses; states of one kind made with the same
/// options merge.
/// </summary>
/// <remarks>Which options differ: <see cref="DifferencesFrom"/>. On the wire, kind and version come first, so a reader can tell the kind without reading the whole state.</remarks>
/// <param name="Kind">"binary", "multiclass", "calibration" or "compare".</param>
/// <param name="Version">1, the only version there is.</param>
public abstract record LogLossState([property: JsonPropertyOrder(-2)] string Kind, [property: JsonPropertyOrder(-1)] int Version)
{
    /// <summary>The only <see cref="Version"/> there is.</summary>
    public const int CurrentVersion = 1;

    /// <summary>Whether <paramref name="kind"/> is one of the kinds this service makes: binary, multiclass, calibration, compare.</summary>
    public static bool IsKnownKind(string? kind) =>
        kind is BinaryLogLossState.BinaryKind or MulticlassLogLossState.MulticlassKind or CalibrationState.CalibrationKind or ComparisonState.CompareKind;

    /// <summary>The largest |exponent| a state may carry: beyond it 2^k is not a double.</summary>
    public const int MaxExponent = 1100;

    /// <summary>
    /// Every field outside what an accumulation can produce, named by its path in the state as the API spells it
    /// ("weightSum", "classes[2].weight", "buckets.index[7]"), with what is allowed.
    /// </summary>
    public abstract IReadOnlyList<OptionProblem> Problems();

    /// <summary>
    /// Every option of this state that differs from <paramref name="first"/>'s (a state of the same kind), naming the
    /// option and both values: only states made with the same options can be merged.
    /// </summary>
    public abstract IReadOnlyList<OptionProblem> DifferencesFrom(LogLossState first);

    /// <summary>The kind and version problem, if any: nothing else of a state can be read without them.</summary>
    private protected IReadOnlyList<OptionProblem>? KindProblems(string kind) =>
        Kind == kind && Version == CurrentVersion
            ? null
            : [new(Kind != kind ? "kind" : "version", $"Must be kind \"{kind}\", version {CurrentVersion}: the states this service makes.")];
}

/// <summary>The rules every state's fields share, written once.</summary>
internal static class StateRules
{
    /// <summary>The name a prediction kind has in a state ("probabilities" or "logits").</summary>
    public static string NameOf(PredictionKind kind) => kind == PredictionKind.Logits ? "logits" : "probabilities";

    /// <summary>The prediction kind a state names (probabilities unless "logits").</summary>
    public static PredictionKind KindOf(string predictions) => predictions == "logits" ? PredictionKind.Logits : PredictionKind.Probabilities;

    public static void Predictions(List<OptionProblem> problems, string? predictions)
    {
        if (predictions is not ("probabilities" or "logits"))
        {
            problems.Add(new("predictions", "Must be \"probabilities\" or \"logits\"."));
        }
    }

    public static void Exponents(List<OptionProblem> problems, string name, params ReadOnlySpan<int> exponents)
    {
        foreach (var exponent in exponents)
        {
            if (Math.Abs(exponent) > LogLossState.MaxExponent)
            {
                problems.Add(new(name, $"Exponents must be within ±{LogLossState.MaxExponent}."));
                return;
            }
        }
    }

    /// <summary>A compensated sum of non-negative terms: both parts finite, their total ≥ 0.</summary>
    public static void Sum(List<OptionProblem> problems, string name, CompensatedValue value)
    {
        if (!double.IsFinite(value.Sum) || !double.IsFinite(value.Compensation) || value.Sum + value.Compensation < 0)
        {
            problems.Add(new(name, "Must be finite and ≥ 0 (sum plus compensation)."));
        }
    }

    public static void Dispersion(List<OptionProblem> problems, string name, DispersionState d)
    {
        if (!(double.IsFinite(d.Mean) && double.IsFinite(d.Weight) && double.IsFinite(d.S) && double.IsFinite(d.T) && double.IsFinite(d.Q))
            || d.Weight < 0 || d.S < 0 || d.Q < 0)
        {
            problems.Add(new(name, "Must be finite, with weight, s and q ≥ 0."));
        }
    }

    /// <summary>Moments of values that may be negative (paired differences): only the weight must be ≥ 0.</summary>
    public static void Moments(List<OptionProblem> problems, string prefix, MomentsState moments, bool valuesNonNegative)
    {
        if (moments.Count < 0)
        {
            problems.Add(new(prefix + "count", "Must be ≥ 0."));
        }

        Exponents(problems, prefix + "weightExponent", moments.WeightExponent, moments.ValueExponent);
        Sum(problems, prefix + "weight", moments.Weight);
        if (valuesNonNegative)
        {
            Sum(problems, prefix + "sum", moments.Sum);
        }
        else if (!double.IsFinite(moments.Sum.Sum) || !double.IsFinite(moments.Sum.Compensation))
        {
            problems.Add(new(prefix + "sum", "Must be finite (sum and compensation)."));
        }

        Dispersion(problems, prefix + "dispersion", moments.Dispersion);
    }

    public static void Differs(List<OptionProblem> problems, string option, double first, double value)
    {
        if (!first.Equals(value))
        {
            problems.Add(new(option, string.Create(CultureInfo.InvariantCulture, $"Made with {option} = {value:R}, but states[0] with {first:R}: only states made with the same options can be merged.")));
        }
    }

    public static void Differs<T>(List<OptionProblem> problems, string option, T first, T value)
    {
        if (!EqualityComparer<T>.Default.Equals(first, value))
        {
            problems.Add(new(option, string.Create(CultureInfo.InvariantCulture, $"Made with {option} = {Show(value)}, but states[0] with {Show(first)}: only states made with the same options can be merged.")));
        }
    }

    public static void DiffersInNames(List<OptionProblem> problems, string option, IReadOnlyList<string>? first, IReadOnlyList<string>? value)
    {
        if (!(first ?? []).SequenceEqual(value ?? []) || (first is null) != (value is null))
        {
            problems.Add(new(option, $"Made with {option} = {Show(value)}, but states[0] with {Show(first)}: only states made with the same options can be merged."));
        }
    }

    private static string Show(IReadOnlyList<string>? names) => names is null ? "none" : "[" + string.Join(", ", names.Select(n => $"\"{n}\"")) + "]";

    private static string Show<T>(T value) => value switch
    {
        string s => $"\"{s}\"",
        bool b => b ? "true" : "false",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "null",
    };
}

/// <summary>Mergeable weighted moments of values (see <see cref="BinaryLogLossAccumulator"/> for the scaling).</summary>
/// <param name="Count">Rows.</param>
/// <param name="WeightExponent">k: weights are stored times 2⁻ᵏ.</param>
/// <param name="ValueExponent">L: values are stored times 2⁻ᴸ (weighted sums times 2⁻⁽ᵏ⁺ᴸ⁾).</param>
/// <param name="Weight">Σw.</param>
/// <param name="Sum">Σwv.</param>
/// <param name="Dispersion">The values' dispersion about their weighted mean, for the standard error.</param>
public readonly record struct MomentsState(long Count, int WeightExponent, int ValueExponent, CompensatedValue Weight, CompensatedValue Sum, DispersionState Dispersion);
