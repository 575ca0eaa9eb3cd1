using System.Text.Json.Serialization;
using LogLossApi.Infrastructure;
using LogLossApi.Scoring;
using LogLossApi.Wire;

namespace LogLossApi.MulticlassLogLoss;

/// <summary>The mean categorical cross-entropy, per-sample losses, per-class figures and the entropy / KL breakdown.</summary>
/// <param name="Count">N.</param>
/// <param name="ClassCount">C.</param>
/// <param name="WeightSum">W = Σwᵢ.</param>
/// <param name="MeanLoss">Σwᵢℓᵢ / W.</param>
/// <param name="SumLoss">Σwᵢℓᵢ.</param>
/// <param name="Unit">"nats" or "bits".</param>
/// <param name="Losses">ℓᵢ = −Σ_c T_ic A_ic, unweighted, in input order; absent when includeLosses is false.</param>
/// <param name="ClippedCount">Probability entries below ε (after renormalization); 0 for logits.</param>
/// <param name="StandardError">√(N/(N − 1) · Σwᵢ²(ℓᵢ − meanLoss)²) / W; null when N = 1.</param>
/// <param name="Classes">One entry per class, grouped by true class.</param>
/// <param name="Entropy">Cross-entropy = label entropy + KL divergence; the class distribution and its entropy.</param>
public sealed record MulticlassLogLossResponse(
    long Count,
    int ClassCount,
    double WeightSum,
    double MeanLoss,
    double SumLoss,
    LossUnit Unit,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] NumberColumn? Losses,
    long ClippedCount,
    double? StandardError,
    IReadOnlyList<MulticlassClass> Classes,
    MulticlassEntropy Entropy) : IOpenApiExample
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

    public static MulticlassLogLossResponse From(MulticlassLogLossReport report, NumberColumn? losses, IReadOnlyList<string>? names) => new(
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
        report.Entropy);
}

/// <summary>One class's share: the samples whose true class it is.</summary>
/// <param name="Index">c.</param>
/// <param name="Name">classNames[c], or null.</param>
/// <param name="Count">#{yᵢ = c}.</param>
/// <param name="Weight">Σ over those samples of wᵢ.</param>
/// <param name="LossSum">Σ over those samples of wᵢℓᵢ.</param>
/// <param name="MeanLoss">lossSum / weight; null when the weight is 0.</param>
public sealed record MulticlassClass(int Index, string? Name, long Count, double Weight, double LossSum, double? MeanLoss);
