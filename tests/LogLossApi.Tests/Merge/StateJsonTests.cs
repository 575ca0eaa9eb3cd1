using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using LogLossApi.Merge;
using LogLossApi.Scoring;
using Microsoft.Extensions.DependencyInjection;

namespace LogLossApi.Tests;

/// <summary>A state of every kind, written as a response writes it and read as the merge endpoint reads it, is the same state, bit for bit.</summary>
public sealed class StateJsonTests
{
    private static readonly JsonSerializerOptions ResponseOptions = ResponseSerializer();

    [Fact]
    public void States_of_random_rows_round_trip_through_json_exactly()
    {
        var rows = Gen.Int[1, 300].SelectMany(n => Gen.Select(
            Gen.Int[0, 1].Array[n], Gen.Double[0.0, 1.0].Array[n], Gen.Double[1e-3, 1e3].Array[n], Gen.Int[-300, 300], Gen.Int[10, 2000]));
        rows.Sample((labels, p, w, scale, buckets) =>
        {
            double[] y = [.. labels.Select(v => (double)v)];
            double[] weights = [.. w.Select(v => v * Math.Pow(10, scale))];
            var binary = new BinaryLogLossAccumulator(BinaryLossOptions.Default with { LabelSmoothing = 0.1 }, PredictionKind.Probabilities, weighted: true);
            binary.Add(y, p, weights, default);
            var multiclass = new MulticlassLogLossAccumulator(MulticlassLossOptions.Default, 2, PredictionKind.Probabilities, weighted: true);
            multiclass.Add(labels, [.. p.SelectMany(v => new[] { 1 - v, v })], weights, default);
            var comparison = new ModelComparisonAccumulator(BinaryLossOptions.Default, [PredictionKind.Probabilities, PredictionKind.Logits], weighted: true, 0.95);
            comparison.Add(y, weights, [p, p.Select(v => (v * 8) - 4).ToArray()]);
            var calibration = CalibrationDecomposition.EvaluateWithHistogram(new BinaryInput(y, p, PredictionKind.Probabilities, weights, BinaryLossOptions.Default), 10, buckets).Histogram;

            LogLossState[] states = [binary.ToState(), multiclass.ToState(["no", "yes"]), comparison.ToState(["a", "b"]), calibration.ToState()];
            foreach (var state in states)
            {
                var written = JsonSerializer.Serialize(state, state.GetType(), ResponseOptions);
                var read = JsonSerializer.Deserialize($$"""{"states":[{{written}}]}""", MergeJsonContext.Default.MergeRequest)!.States![0]!;
                Assert.Equal(written, JsonSerializer.Serialize(read, read.GetType(), ResponseOptions));
                Assert.Empty(read.Problems());
                Assert.Equal(state.GetType(), read.GetType());
            }
        });
    }

    [Fact]
    public void A_state_begins_with_its_kind_and_version()
    {
        foreach (var state in States.OfEveryKind())
        {
            Assert.Equal(["kind", "version"], state.Select(p => p.Key).Take(2));
        }

        var written = JsonNode.Parse(JsonSerializer.Serialize(States.OfEveryKind()[1], ResponseOptions))!.AsObject();
        Assert.Equal("kind", written.First().Key);
    }

    /// <summary>The serializer options the service writes responses with.</summary>
    private static JsonSerializerOptions ResponseSerializer()
    {
        return Factories.For("Production").Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
    }
}
