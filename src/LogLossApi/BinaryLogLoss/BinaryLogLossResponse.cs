using System.Text.Json.Serialization;
using LogLossApi.Hosting;
using LogLossApi.Scoring;
using LogLossApi.Wire.Columns;

namespace LogLossApi.BinaryLogLoss;

/// <summary>The mean binary cross-entropy, the per-sample losses, and the entropy / KL breakdown behind them.</summary>
/// <param name="Count">N, the number of samples.</param>
/// <param name="WeightSum">W = Σwᵢ; null only when W is beyond the double range (weights near 1.8e308).</param>
/// <param name="MeanLoss">Σwᵢℓᵢ / W, in <paramref name="Unit"/>; null only when it is beyond the double range (a positiveWeight near 1.8e308).</param>
/// <param name="SumLoss">Σwᵢℓᵢ; null when it is beyond the double range (huge weights times large losses), although meanLoss is finite.</param>
/// <param name="Unit">"nats" or "bits": the unit of every loss, entropy and divergence.</param>
/// <param name="Losses">ℓᵢ = −(w₊tᵢ ln p′ᵢ + (1 − tᵢ) ln(1 − p′ᵢ)), unweighted, in input order; absent when includeLosses is false; an entry is null only when w₊ times the loss is beyond the double range.</param>
/// <param name="ClippedCount">How many probabilities lay outside [ε, 1 − ε] and were clipped; 0 for logits.</param>
/// <param name="StandardError">Standard error of meanLoss, √(N/(N − 1) · Σwᵢ²(ℓᵢ − meanLoss)²) / W; null when N = 1.</param>
/// <param name="Classes">The loss split into its positive and negative terms.</param>
/// <param name="Entropy">Cross-entropy = label entropy + KL divergence, and the base-rate reference.</param>
/// <param name="State">With includeState: everything this report follows from, in nats and O(1) in the rows, to merge with the states of other rows (POST /v1/log-loss/merge).</param>
public sealed record BinaryLogLossResponse(
    long Count,
    double? WeightSum,
    double? MeanLoss,
    double? SumLoss,
    LossUnit Unit,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] NumberColumn? Losses,
    long ClippedCount,
    double? StandardError,
    BinaryClasses Classes,
    BinaryEntropy Entropy,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] BinaryLogLossState? State = null) : IOpenApiExample, ICsvOpenApiExample
{
    /// <summary>The response to the seed example, computed by the scoring library.</summary>
    public static object Example
    {
        get
        {
            var losses = NumberColumn.Of(new double[SeedExample.Labels.Length]);
            var input = new BinaryInput(SeedExample.Labels, SeedExample.Probabilities, PredictionKind.Probabilities, default, BinaryLossOptions.Default);
            return From(BinaryCrossEntropy.Evaluate(input, losses.WritableSpan), losses);
        }
    }

    /// <summary>The seed example's first rows as the CSV response gives them.</summary>
    public static string CsvExample
    {
        get
        {
            var losses = ((BinaryLogLossResponse)Example).Losses!;
            var rows = Enumerable.Range(0, 3).Select(i => string.Create(
                System.Globalization.CultureInfo.InvariantCulture,
                $"{i},{SeedExample.Labels[i]},{SeedExample.Probabilities[i]:R},{losses.Span[i]:R}"));
            return "index,label,probability,loss\n" + string.Join("\n", rows) + "\n…";
        }
    }

    public static BinaryLogLossResponse From(BinaryLogLossReport report, NumberColumn? losses, BinaryLogLossState? state = null) => new(
        report.Count,
        report.WeightSum,
        report.MeanLoss,
        report.SumLoss,
        report.Unit,
        losses,
        report.ClippedCount,
        report.StandardError,
        new BinaryClasses(ClassSummary.From(report.Positive), ClassSummary.From(report.Negative)),
        BinaryEntropy.From(report.Entropy),
        state);
}

/// <summary>The positive (y = 1) and negative (y = 0) terms of the loss.</summary>
/// <param name="Positive">count = #{yᵢ = 1}; weight = Σwᵢtᵢ; lossSum = Σwᵢ(−w₊tᵢ ln p′ᵢ).</param>
/// <param name="Negative">count = #{yᵢ = 0}; weight = Σwᵢ(1 − tᵢ); lossSum = Σwᵢ(−(1 − tᵢ) ln(1 − p′ᵢ)).</param>
public sealed record BinaryClasses(ClassSummary Positive, ClassSummary Negative);

/// <summary>One class's share of the loss.</summary>
/// <param name="Count">Samples whose label is exactly this class; soft labels strictly between 0 and 1 count in neither.</param>
/// <param name="Weight">The class's target mass; null only beyond the double range.</param>
/// <param name="LossSum">The class's term of Σwᵢℓᵢ; null when beyond the double range (as sumLoss).</param>
/// <param name="MeanLoss">lossSum / weight; null when weight is 0 (or beyond the double range).</param>
public sealed record ClassSummary(long Count, double? Weight, double? LossSum, double? MeanLoss)
{
    public static ClassSummary From(ClassBreakdown c) => new(c.Count, c.Weight, c.LossSum, c.MeanLoss);
}

/// <summary>The information-theoretic reading of the loss (the seed article's entropy section).</summary>
/// <param name="CrossEntropy">H_p(q) = Σwᵢcᵢ / W, cᵢ = −(tᵢ ln p′ᵢ + (1 − tᵢ) ln(1 − p′ᵢ)); equals meanLoss when positiveWeight is 1.</param>
/// <param name="LabelEntropy">H(q) = Σwᵢ H(tᵢ) / W: 0 for hard labels.</param>
/// <param name="KlDivergence">Σwᵢ KL(tᵢ ‖ p′ᵢ) / W, summed per sample; crossEntropy = labelEntropy + klDivergence.</param>
/// <param name="BaseRate">Σwᵢtᵢ / W, the share of positives; unitless.</param>
/// <param name="BaseRateEntropy">H(baseRate): the loss of the best constant prediction.</param>
/// <param name="InformationGain">baseRateEntropy − crossEntropy: what the model gains over the constant prediction.</param>
/// <param name="NormalizedEntropy">crossEntropy / baseRateEntropy (NE); unitless; null when baseRateEntropy is 0.</param>
/// <param name="Perplexity">exp(crossEntropy in nats); unitless; null when crossEntropy exceeds 709.78 nats (1024 bits), where e^crossEntropy is beyond the double range.</param>
/// <remarks>crossEntropy, klDivergence and informationGain are null only when beyond the double range (logits near ±1.8e308).</remarks>
public sealed record BinaryEntropy(
    double? CrossEntropy,
    double LabelEntropy,
    double? KlDivergence,
    double BaseRate,
    double BaseRateEntropy,
    double? InformationGain,
    double? NormalizedEntropy,
    double? Perplexity)
{
    public static BinaryEntropy From(EntropyBreakdown e) => new(
        e.CrossEntropy, e.LabelEntropy, e.KlDivergence, e.BaseRate, e.BaseRateEntropy, e.InformationGain, e.NormalizedEntropy, e.Perplexity);
}
