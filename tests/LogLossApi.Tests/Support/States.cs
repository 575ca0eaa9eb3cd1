using System.Text.Json;
using System.Text.Json.Nodes;
using LogLossApi.BinaryLogLoss;
using LogLossApi.Merge;
using LogLossApi.Scoring;

namespace LogLossApi.Tests;

/// <summary>Partial states for the merge tests, as a response gives them.</summary>
internal static class States
{
    /// <summary>The state of the seed's ten points, as JSON.</summary>
    public static JsonObject Seed()
    {
        var accumulator = new BinaryLogLossAccumulator(BinaryLossOptions.Default, PredictionKind.Probabilities, weighted: false);
        accumulator.Add(SeedExample.Labels, SeedExample.Probabilities, default, default);
        return Json(accumulator.ToState());
    }

    /// <summary>One state of every kind, of the seed's ten points (as three classes for multiclass), as JSON.</summary>
    public static JsonObject[] OfEveryKind()
    {
        var multiclass = new MulticlassLogLossAccumulator(MulticlassLossOptions.Default, 3, PredictionKind.Logits, weighted: false);
        multiclass.Add([.. SeedExample.Labels.Select((y, i) => (int)y + (i % 2))], [.. SeedExample.Probabilities.SelectMany(p => new[] { p, 1 - p, 0.5 })], default, default);
        var comparison = new ModelComparisonAccumulator(BinaryLossOptions.Default, [PredictionKind.Probabilities, PredictionKind.Probabilities], weighted: false, 0.95);
        comparison.Add(SeedExample.Labels, default, [SeedExample.Probabilities, Enumerable.Repeat(0.7, 10).ToArray()]);
        var input = new BinaryInput(SeedExample.Labels, SeedExample.Probabilities, PredictionKind.Probabilities, default, BinaryLossOptions.Default);
        return
        [
            Seed(),
            Json(multiclass.ToState(["a", "b", "c"])),
            Json(comparison.ToState(["model", "base rate"])),
            Json(CalibrationDecomposition.EvaluateWithHistogram(input, 10, 100).Histogram.ToState()),
        ];
    }

    private static JsonObject Json(LogLossState state)
    {
        var body = JsonSerializer.Serialize(new MergeRequest([state], null), MergeJsonContext.Default.MergeRequest);
        return JsonNode.Parse(body)!["states"]![0]!.AsObject().DeepClone().AsObject();
    }
}
