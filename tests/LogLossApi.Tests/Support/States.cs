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
        var body = JsonSerializer.Serialize(new MergeRequest([accumulator.ToState()], null), MergeJsonContext.Default.MergeRequest);
        return JsonNode.Parse(body)!["states"]![0]!.AsObject().DeepClone().AsObject();
    }
}
