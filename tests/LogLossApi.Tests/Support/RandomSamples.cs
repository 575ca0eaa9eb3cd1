using System.Text.Json;
using System.Text.Json.Nodes;
using LogLossApi.Scoring;

namespace LogLossApi.Tests;

/// <summary>
/// Random 0/1 labels and probabilities with the library's own per-sample losses: a request long enough to reach the
/// service in many pipe segments, whose every loss a response must reproduce exactly.
/// </summary>
internal sealed record RandomSamples(double[] Labels, double[] Probabilities, double[] Losses, double MeanLoss)
{
    public static RandomSamples Create(int samples, int seed)
    {
        var random = new Random(seed);
        var labels = new double[samples];
        var probabilities = new double[samples];
        for (var i = 0; i < samples; i++)
        {
            labels[i] = random.Next(2);
            probabilities[i] = random.NextDouble();
        }

        var losses = new double[samples];
        var report = BinaryCrossEntropy.Evaluate(new BinaryInput(labels, probabilities, PredictionKind.Probabilities, default, BinaryLossOptions.Default), losses);
        return new RandomSamples(labels, probabilities, losses, report.MeanLoss);
    }

    public string ToJson() => JsonSerializer.Serialize(new { labels = Labels, probabilities = Probabilities });

    /// <summary>Asserts a /v1/log-loss response body has this mean and every one of these losses, bit for bit.</summary>
    public void AssertScored(JsonNode? body)
    {
        Assert.Equal(MeanLoss, body!["meanLoss"]!.GetValue<double>());
        var losses = body["losses"]!.AsArray();
        Assert.Equal(Losses.Length, losses.Count);
        for (var i = 0; i < Losses.Length; i++)
        {
            Assert.Equal(Losses[i], losses[i]!.GetValue<double>());
        }
    }
}
