using System.Text.Json.Nodes;
using LogLossApi.Testing;

namespace LogLossApi.Scoring.Tests;

public sealed class BinaryFixtureTests
{
    public static TheoryData<Fixture> BinaryFixtures() => new(Fixtures.For("/v1/log-loss"));

    [Theory]
    [MemberData(nameof(BinaryFixtures))]
    public void Evaluate_matches_the_fixture_field_by_field(Fixture fixture)
    {
        var (input, includeLosses) = BinaryRequests.Parse(fixture.Request);
        var losses = new double[input.Labels.Length];

        var report = BinaryCrossEntropy.Evaluate(input.ToInput(), losses);

        var actual = BinaryRequests.ToJson(report, includeLosses ? losses : null);
        Assert.Empty(JsonComparison.Differences(fixture.Expected, actual, fixture.Relative, fixture.Absolute));
    }

    [Fact]
    public void Seed_example_gives_the_articles_numbers()
    {
        var (input, _) = BinaryRequests.Parse(Fixtures.Named("seed-example.json").Request);

        var report = BinaryCrossEntropy.Evaluate(input.ToInput(), default);

        Assert.Equal(0.33291, report.MeanLoss, 5);
        Assert.Equal(7, report.Positive.Count);
        Assert.Equal(3, report.Negative.Count);
        Assert.Equal(0.61086, report.Entropy.BaseRateEntropy, 5);
    }
}

/// <summary>A fixture request held in arrays, so a test can turn it into a <see cref="BinaryInput"/>.</summary>
internal sealed record BinaryArrays(double[] Labels, double[] Predictions, PredictionKind Kind, double[] Weights, BinaryLossOptions Options)
{
    public BinaryInput ToInput() => new(Labels, Predictions, Kind, Weights, Options);
}

internal static class BinaryRequests
{
    public static (BinaryArrays Input, bool IncludeLosses) Parse(JsonObject request)
    {
        var options = request["options"]?.AsObject() ?? [];
        var parsed = new BinaryLossOptions(
            options["epsilon"]?.GetValue<double>() ?? BinaryLossOptions.DefaultEpsilon,
            options["unit"]?.GetValue<string>() == "bits" ? LossUnit.Bits : LossUnit.Nats,
            options["positiveWeight"]?.GetValue<double>() ?? 1.0,
            options["labelSmoothing"]?.GetValue<double>() ?? 0.0);
        var kind = request.ContainsKey("logits") ? PredictionKind.Logits : PredictionKind.Probabilities;
        var predictions = Numbers(request[kind == PredictionKind.Logits ? "logits" : "probabilities"]);
        return (new BinaryArrays(Numbers(request["labels"]), predictions, kind, Numbers(request["weights"]), parsed),
            options["includeLosses"]?.GetValue<bool>() ?? true);
    }

    public static JsonObject ToJson(BinaryLogLossReport report, double[]? losses) => new()
    {
        ["count"] = report.Count,
        ["weightSum"] = Figure(report.WeightSum),
        ["meanLoss"] = Figure(report.MeanLoss),
        ["sumLoss"] = Figure(report.SumLoss),
        ["unit"] = report.Unit == LossUnit.Bits ? "bits" : "nats",
        ["losses"] = losses is null ? null : new JsonArray([.. losses.Select(l => (JsonNode)l)]),
        ["clippedCount"] = report.ClippedCount,
        ["standardError"] = report.StandardError,
        ["classes"] = new JsonObject
        {
            ["positive"] = Class(report.Positive),
            ["negative"] = Class(report.Negative),
        },
        ["entropy"] = new JsonObject
        {
            ["crossEntropy"] = Figure(report.Entropy.CrossEntropy),
            ["labelEntropy"] = report.Entropy.LabelEntropy,
            ["klDivergence"] = Figure(report.Entropy.KlDivergence),
            ["baseRate"] = report.Entropy.BaseRate,
            ["baseRateEntropy"] = report.Entropy.BaseRateEntropy,
            ["informationGain"] = Figure(report.Entropy.InformationGain),
            ["normalizedEntropy"] = report.Entropy.NormalizedEntropy,
            ["perplexity"] = Figure(report.Entropy.Perplexity),
        },
    };

    private static JsonObject Class(ClassBreakdown c) => new()
    {
        ["count"] = c.Count,
        ["weight"] = Figure(c.Weight),
        ["lossSum"] = Figure(c.LossSum),
        ["meanLoss"] = c.MeanLoss,
    };

    /// <summary>A figure as the service writes it: null when it is not a finite double.</summary>
    private static JsonNode? Figure(double value) => double.IsFinite(value) ? value : null;

    private static double[] Numbers(JsonNode? node) =>
        node is JsonArray array ? [.. array.Select(v => v!.GetValue<double>())] : [];
}
