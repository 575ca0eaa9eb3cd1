using System.Text.Json.Serialization;
using LogLossApi.Hosting;
using LogLossApi.Scoring;
using LogLossApi.Wire.Columns;

namespace LogLossApi.MulticlassLogLoss;

/// <summary>The mean categorical cross-entropy, per-sample losses, per-class figures and the entropy / KL breakdown.</summary>
/// <param name="Count">N.</param>
/// <param name="ClassCount">C.</param>
/// <param name="WeightSum">W = Σwᵢ; null only when W is beyond the double range (weights near 1.8e308).</param>
/// <param name="MeanLoss">Σwᵢℓᵢ / W; null only when it is beyond the double range (logits near ±1.8e308).</param>
/// <param name="SumLoss">Σwᵢℓᵢ; null when it is beyond the double range (huge weights times large losses), although meanLoss is finite.</param>
/// <param name="Unit">"nats" or "bits".</param>
/// <param name="Losses">ℓᵢ = −Σ_c T_ic A_ic, unweighted, in input order; absent when includeLosses is false; an entry is null only when it is beyond the double range.</param>
/// <param name="ClippedCount">Samples with at least one probability entry outside [ε, 1 − ε] (after renormalization), each clipped to that interval as scikit-learn clips; 0 for logits.</param>
/// <param name="StandardError">√(N/(N − 1) · Σwᵢ²(ℓᵢ − meanLoss)²) / W; null when N = 1.</param>
/// <param name="Classes">One entry per class, grouped by true class.</param>
/// <param name="Entropy">Cross-entropy = label entropy + KL divergence; the class distribution and its entropy.</param>
/// <param name="State">With includeState, or from the merge endpoint: the mergeable state of the rows (O(C), in nats).</param>
public sealed record MulticlassLogLossResponse(
    long Count,
    int ClassCount,
    double? WeightSum,
    double? MeanLoss,
    double? SumLoss,
    LossUnit Unit,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] NumberColumn? Losses,
    long ClippedCount,
    double? StandardError,
    IReadOnlyList<MulticlassClass> Classes,
    MulticlassEntropySummary Entropy,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] MulticlassLogLossState? State = null) : IOpenApiExample
{
    public static object Example
    {
        get
        {
            using var request = (MulticlassLogLossRequest)MulticlassLogLossRequest.Example;
            var losses = NumberColumn.Of(new double[request.SampleCount]);
            int[] labels = [0, 2, 1, 2];
            var report = MulticlassCrossEntropy.Evaluate(
                new MulticlassInput(labels, request.Probabilities!.Values.Span, 3, PredictionKind.Probabilities, default, request.LibraryOptions()),
                losses.WritableSpan);
            return From(report, losses, request.ClassNames);
        }
    }

    public static MulticlassLogLossResponse From(MulticlassLogLossReport report, NumberColumn? losses, IReadOnlyList<string>? names, MulticlassLogLossState? state = null) => new(
        report.Count,
        report.ClassCount,
        report.WeightSum,
        report.MeanLoss,
        report.SumLoss,
        report.Unit,
        losses,
        report.ClippedCount,
        report.StandardError,
        [.. report.Classes.Select((c, i) => new MulticlassClass(i, names?[i], c.Count, c.Weight, c.LossSum, c.MeanLoss))],
        MulticlassEntropySummary.From(report.Entropy),
        state);
}

/// <summary>The entropy section: cross-entropy = label entropy + KL divergence, the class distribution q and H(q).</summary>
/// <param name="CrossEntropy">H_p(T) = Σwᵢ(−Σ_c T_ic A_ic) / W (equals meanLoss); null only beyond the double range.</param>
/// <param name="LabelEntropy">Σwᵢ H(Tᵢ) / W: 0 for hard labels without smoothing.</param>
/// <param name="KlDivergence">crossEntropy − labelEntropy, per sample; null only beyond the double range.</param>
/// <param name="ClassDistribution">q_c = Σwᵢ T_ic / W.</param>
/// <param name="ClassEntropy">H(q): the loss of always predicting q.</param>
/// <param name="InformationGain">classEntropy − crossEntropy; null only beyond the double range.</param>
/// <param name="NormalizedEntropy">crossEntropy / classEntropy; null when classEntropy is 0.</param>
/// <param name="Perplexity">e^(crossEntropy in nats); null when crossEntropy exceeds 709.78 nats (1024 bits), where it is beyond the double range.</param>
public sealed record MulticlassEntropySummary(
    double? CrossEntropy,
    double LabelEntropy,
    double? KlDivergence,
    IReadOnlyList<double> ClassDistribution,
    double ClassEntropy,
    double? InformationGain,
    double? NormalizedEntropy,
    double? Perplexity)
{
    public static MulticlassEntropySummary From(MulticlassEntropy e) => new(
        e.CrossEntropy, e.LabelEntropy, e.KlDivergence, e.ClassDistribution, e.ClassEntropy, e.InformationGain, e.NormalizedEntropy, e.Perplexity);
}

/// <summary>One class's share: the samples whose true class it is.</summary>
/// <param name="Index">c.</param>
/// <param name="Name">classNames[c], or null.</param>
/// <param name="Count">#{yᵢ = c}.</param>
/// <param name="Weight">Σ over those samples of wᵢ; null only beyond the double range.</param>
/// <param name="LossSum">Σ over those samples of wᵢℓᵢ; null when beyond the double range (as sumLoss).</param>
/// <param name="MeanLoss">lossSum / weight; null when the weight is 0.</param>
public sealed record MulticlassClass(int Index, string? Name, long Count, double? Weight, double? LossSum, double? MeanLoss);
