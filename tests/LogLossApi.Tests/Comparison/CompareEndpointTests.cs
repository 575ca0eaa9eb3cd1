using System.Net;

namespace LogLossApi.Tests;

/// <summary>POST /v1/log-loss/compare through HTTP.</summary>
public sealed class CompareEndpointTests(LogLossApiFactory factory) : IClassFixture<LogLossApiFactory>
{
    private const string Path = "/v1/log-loss/compare";

    [Fact]
    public async Task A_small_case_matches_values_computed_independently()
    {
        // Expected values from Python's statistics.NormalDist and math.log on the same five samples (not from this service).
        const string Request = """{"labels":[0,1,1,0,1],"models":[{"name":"a","probabilities":[0.3,0.6,0.8,0.4,0.5]},{"name":"b","probabilities":[0.2,0.7,0.9,0.5,0.8]}]}""";

        var (status, _, body, _) = await Http.PostJson(factory.CreateClient(), Path, Request);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0.4589233846689738, body!["models"]![0]!["meanLoss"]!.GetValue<double>(), 1e-12);
        Assert.Equal(0.32029394855698473, body["models"]![1]!["meanLoss"]!.GetValue<double>(), 1e-12);
        var comparison = body["comparisons"]![0]!;
        Assert.Equal("b", comparison["model"]!.GetValue<string>());
        Assert.Equal("a", comparison["reference"]!.GetValue<string>());
        Assert.Equal(-0.13862943611198908, comparison["meanDifference"]!.GetValue<double>(), 1e-12);
        Assert.Equal(0.10332469869014305, comparison["standardError"]!.GetValue<double>(), 1e-12);
        Assert.Equal(-1.3416873009978012, comparison["z"]!.GetValue<double>(), 1e-9);
        Assert.Equal(0.1796974062488248, comparison["pValue"]!.GetValue<double>(), 1e-9);
        Assert.Equal(-0.3411421242581223, comparison["confidenceInterval"]!["lower"]!.GetValue<double>(), 1e-9);
        Assert.Equal(0.06388325203414413, comparison["confidenceInterval"]!["upper"]!.GetValue<double>(), 1e-9);
        Assert.Equal(0.95, comparison["confidenceInterval"]!["level"]!.GetValue<double>());
    }

    [Fact]
    public async Task Identical_models_differ_by_zero_with_p_value_one()
    {
        const string Request = """{"labels":[0,1,1],"models":[{"name":"a","probabilities":[0.3,0.6,0.8]},{"name":"other","logits":[-1,1,2]},{"name":"copy","probabilities":[0.3,0.6,0.8]}]}""";

        var (_, _, body, _) = await Http.PostJson(factory.CreateClient(), Path, Request);

        var copy = body!["comparisons"]![1]!;
        Assert.Equal(0.0, copy["meanDifference"]!.GetValue<double>());
        Assert.Equal(1.0, copy["pValue"]!.GetValue<double>());
        Assert.Equal(0.0, copy["z"]!.GetValue<double>());
        Assert.True(body["comparisons"]![0]!["pValue"]!.GetValue<double>() is > 0 and < 1);
    }

    [Fact]
    public async Task A_uniformly_better_model_has_a_negative_difference_with_a_tight_interval_below_zero()
    {
        var random = new Random(3);
        var labels = Enumerable.Range(0, 2000).Select(_ => random.Next(2)).ToArray();
        var weak = labels.Select(y => y == 1 ? 0.6 : 0.4).ToArray();
        var strong = labels.Select(y => y == 1 ? 0.8 + (0.1 * random.NextDouble()) : 0.2 - (0.1 * random.NextDouble())).ToArray();
        var request = $$$"""{"labels":[{{{string.Join(',', labels)}}}],"models":[{"name":"weak","probabilities":[{{{Join(weak)}}}]},{"name":"strong","probabilities":[{{{Join(strong)}}}]}],"options":{"confidenceLevel":0.99}}""";

        var (_, _, body, _) = await Http.PostJson(factory.CreateClient(), Path, request);

        var comparison = body!["comparisons"]![0]!;
        Assert.True(comparison["meanDifference"]!.GetValue<double>() < -0.2);
        Assert.True(comparison["confidenceInterval"]!["upper"]!.GetValue<double>() < 0);
        Assert.True(comparison["confidenceInterval"]!["upper"]!.GetValue<double>() - comparison["confidenceInterval"]!["lower"]!.GetValue<double>() < 0.05);
        Assert.True(comparison["pValue"]!.GetValue<double>() < 1e-10);
    }

    [Theory]
    [MemberData(nameof(Factories.Environments), MemberType = typeof(Factories))]
    public async Task Bad_input_is_a_path_keyed_problem(string environment)
    {
        var cases = new (string Body, string Key)[]
        {
            ("""{"labels":[0,1],"models":[{"name":"a","probabilities":[0.2,0.7]}]}""", "models"),
            ("""{"labels":[],"models":[]}""", "models"),
            ("""{"labels":[0,1],"models":[{"name":"a","probabilities":[0.2,0.7]},{"name":"a","probabilities":[0.3,0.7]}]}""", "models[1].name"),
            ("""{"labels":[0,1],"models":[{"name":"","probabilities":[0.2,0.7]},{"name":"b","probabilities":[0.3,0.7]}]}""", "models[0].name"),
            ("""{"labels":[0,1],"models":[{"name":"a","probabilities":[0.2,0.7]},{"name":"b","probabilities":[0.3,1.7]}]}""", "models[1].probabilities[1]"),
            ("""{"labels":[0,1],"models":[{"name":"a","probabilities":[0.2,0.7]},{"name":"b","probabilities":[0.3]}]}""", "models[1].probabilities"),
            ("""{"labels":[0,1],"models":[{"name":"a","probabilities":[0.2,0.7]},{"name":"b"}]}""", "models[1].probabilities"),
            ("""{"labels":[0,1],"models":[{"name":"a","probabilities":[0.2,0.7]},{"name":"b","probabilities":[0.3,0.7],"logits":[0,0]}]}""", "models[1].logits"),
            ("""{"labels":[0,3],"models":[{"name":"a","probabilities":[0.2,0.7]},{"name":"b","probabilities":[0.3,0.7]}]}""", "labels[1]"),
            ("""{"labels":[0,1],"models":[{"name":"a","probabilities":[0.2,0.7]},{"name":"b","probabilities":[0.3,0.7]}],"options":{"confidenceLevel":1}}""", "options.confidenceLevel"),
            ("""{"labels":[0,1],"weights":[0,0],"models":[{"name":"a","probabilities":[0.2,0.7]},{"name":"b","probabilities":[0.3,0.7]}]}""", "weights"),
        };
        var client = Factories.For(environment).CreateClient();

        foreach (var (body, key) in cases)
        {
            var (status, contentType, json, _) = await Http.PostJson(client, Path, body);

            var errors = Http.AssertProblem(HttpStatusCode.BadRequest, status, contentType, json)["errors"]!.AsObject();
            Assert.True(errors.ContainsKey(key), $"{key} not in {errors.ToJsonString()} for {body}");
        }
    }

    private static string Join(double[] values) => string.Join(',', values.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
}
