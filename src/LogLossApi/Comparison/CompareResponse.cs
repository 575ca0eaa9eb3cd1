using System.Text.Json.Serialization;
using LogLossApi.Hosting;
using LogLossApi.Scoring;

namespace LogLossApi.Comparison;

/// <summary>Each model's loss, and each model against the first as a paired difference with its test.</summary>
/// <param name="Unit">"nats" or "bits": the unit of every loss and difference.</param>
/// <param name="Models">Per model, in request order: name, meanLoss, standardError.</param>
/// <param name="Comparisons">Per model after the first: the paired difference against the first.</param>
/// <param name="State">With includeState, or from the merge endpoint: the mergeable state of the rows (O(models), in nats).</param>
public sealed record CompareResponse(
    LossUnit Unit,
    IReadOnlyList<ModelSummary> Models,
    IReadOnlyList<ModelComparison> Comparisons,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ComparisonState? State = null) : IOpenApiExample
{
    /// <summary>The response for a comparison's report of the models <paramref name="names"/>, in <paramref name="unit"/>.</summary>
    public static CompareResponse From(ModelComparisonReport report, IReadOnlyList<string> names, LossUnit unit, ComparisonState? state)
    {
        var summaries = names.Zip(report.Models, (name, scored) => new ModelSummary(name, scored.MeanLoss, scored.StandardError));
        var comparisons = names.Skip(1).Zip(report.Differences, (name, d) => new ModelComparison(
            name,
            names[0],
            d.MeanDifference,
            d.StandardError,
            d.Z,
            d.PValue,
            d.Lower is { } lower && d.Upper is { } upper ? new ConfidenceInterval(lower, upper, d.Level) : null));
        return new CompareResponse(unit, [.. summaries], [.. comparisons], state);
    }

    public static object Example
    {
        get
        {
            using var request = (CompareRequest)CompareRequest.Example;
            return CompareEndpoints.Compare(request);
        }
    }
}

/// <summary>One model's mean loss.</summary>
/// <param name="Name">The model's name.</param>
/// <param name="MeanLoss">Σwᵢℓᵢ / W.</param>
/// <param name="StandardError">As /v1/log-loss; null for N = 1.</param>
public sealed record ModelSummary(string Name, double? MeanLoss, double? StandardError);

/// <summary>A model against the reference (the first model).</summary>
/// <param name="Model">This model's name.</param>
/// <param name="Reference">The first model's name.</param>
/// <param name="MeanDifference">Σwᵢ(ℓᵢ(model) − ℓᵢ(reference)) / W: negative means this model's loss is lower.</param>
/// <param name="StandardError">Of the mean difference (paired); null for N = 1.</param>
/// <param name="Z">meanDifference / standardError (0 when both are 0); null for N = 1 and when standardError is 0 but meanDifference is not (z is then ±∞).</param>
/// <param name="PValue">Two-sided, 2Φ(−|z|) under the normal approximation, accurate to its last digits far into the tail (0 only below the smallest positive double, |z| above about 38.5); 1 for identical models.</param>
/// <param name="ConfidenceInterval">meanDifference ± Φ⁻¹((1 + level)/2) · standardError.</param>
public sealed record ModelComparison(string Model, string Reference, double? MeanDifference, double? StandardError, double? Z, double? PValue, ConfidenceInterval? ConfidenceInterval);

/// <summary>An interval and its level.</summary>
public sealed record ConfidenceInterval(double Lower, double Upper, double Level);
