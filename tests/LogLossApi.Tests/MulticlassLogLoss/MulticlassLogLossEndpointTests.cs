using System.Net;
using System.Text.Json.Nodes;
using LogLossApi.Testing;

namespace LogLossApi.Tests;

/// <summary>POST /v1/log-loss/multiclass through HTTP: the fixtures, the C = 2 equivalence with /v1/log-loss, and every error row.</summary>
public sealed class MulticlassLogLossEndpointTests(LogLossApiFactory factory) : IClassFixture<LogLossApiFactory>
{
    private const string Path = "/v1/log-loss/multiclass";

    public static TheoryData<Fixture> MulticlassFixtures() => new(Fixtures.For(Path));

    [Theory]
    [MemberData(nameof(MulticlassFixtures))]
    public async Task Score_matches_the_fixture_field_by_field(Fixture fixture)
    {
        await Http.PostFixture(factory.CreateClient(), fixture);
    }

    [Theory]
    [InlineData("seed-example.json")]
    [InlineData("weights.json")]
    [InlineData("label-smoothing.json")]
    [InlineData("seed-example-bits.json")]
    public async Task With_two_classes_every_shared_figure_equals_the_binary_endpoints(string binaryFixture)
    {
        var binary = Fixtures.Named(binaryFixture).Request;
        var multiclass = new JsonObject
        {
            ["labels"] = binary["labels"]!.DeepClone(),
            ["probabilities"] = new JsonArray([.. binary["probabilities"]!.AsArray().Select(p => (JsonNode)new JsonArray(1 - p!.GetValue<double>(), p.GetValue<double>()))]),
        };
        if (binary["weights"] is { } weights)
        {
            multiclass["weights"] = weights.DeepClone();
        }

        if (binary["options"] is JsonObject options)
        {
            multiclass["options"] = new JsonObject(options.Where(o => o.Key is "unit" or "labelSmoothing" or "epsilon").Select(o => KeyValuePair.Create(o.Key, o.Value?.DeepClone())));
        }

        var client = factory.CreateClient();
        var one = (await Http.PostJson(client, "/v1/log-loss", binary.ToJsonString())).Body!;
        var two = (await Http.PostJson(client, Path, multiclass.ToJsonString())).Body!;

        foreach (var field in new[] { "count", "weightSum", "meanLoss", "sumLoss", "clippedCount", "standardError" })
        {
            Assert.Equal(one[field]!.GetValue<double>(), two[field]!.GetValue<double>(), 1e-12);
        }

        foreach (var field in new[] { "crossEntropy", "labelEntropy", "klDivergence", "informationGain", "perplexity" })
        {
            Assert.Equal(one["entropy"]![field]!.GetValue<double>(), two["entropy"]![field]!.GetValue<double>(), 1e-12);
        }

        Assert.Equal(one["entropy"]!["baseRateEntropy"]!.GetValue<double>(), two["entropy"]!["classEntropy"]!.GetValue<double>(), 1e-12);
        var binaryLosses = one["losses"]!.AsArray().Select(l => l!.GetValue<double>()).ToArray();
        var multiclassLosses = two["losses"]!.AsArray().Select(l => l!.GetValue<double>()).ToArray();
        Assert.Equal(binaryLosses.Length, multiclassLosses.Length);
        Assert.All(binaryLosses.Zip(multiclassLosses), pair => Assert.Equal(pair.First, pair.Second, 1e-12));
    }

    [Fact]
    public async Task Renormalize_divides_each_row_by_its_sum()
    {
        var client = factory.CreateClient();

        var (status, _, body, _) = await Http.PostJson(client, Path, """{"labels":[0,1],"probabilities":[[2,2],[1,3]],"options":{"renormalize":true}}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((Math.Log(2) + -Math.Log(0.75)) / 2, body!["meanLoss"]!.GetValue<double>(), 14);
    }

    [Theory]
    [MemberData(nameof(Factories.Environments), MemberType = typeof(Factories))]
    public async Task Bad_input_is_a_path_keyed_problem(string environment)
    {
        var cases = new (string Body, string Key)[]
        {
            ("""{"labels":[0,3],"probabilities":[[0.5,0.5],[0.5,0.5]]}""", "labels[1]"),
            ("""{"labels":[0,0.5],"probabilities":[[0.5,0.5],[0.5,0.5]]}""", "labels[1]"),
            ("""{"labels":[0,1],"probabilities":[[0.5,0.5],[0.2,0.3,0.5]]}""", "probabilities[1]"),
            ("""{"labels":[0,1],"probabilities":[[0.5,0.5],[0.2,0.3]]}""", "probabilities[1]"),
            ("""{"labels":[0,1],"probabilities":[[0.5,0.5],[1.5,-0.5]]}""", "probabilities[1][0]"),
            ("""{"labels":[0],"probabilities":[[1]]}""", "probabilities"),
            ("""{"labels":[0,1],"probabilities":[[0.5,0.5]]}""", "probabilities"),
            ("""{"labels":[0,1],"probabilities":[[0.5,0.5],[0.5,0.5]],"classNames":["a"]}""", "classNames"),
            ("""{"labels":[0,1],"probabilities":[[0.5,0.5],[0.5,0.5]],"classNames":["a","a"]}""", "classNames"),
            ("""{"labels":[0,1],"probabilities":[[0.5,0.5],[0.5,0.5]],"logits":[[0,0],[0,0]]}""", "logits"),
            ("""{"labels":[0,1]}""", "probabilities"),
            ("""{"labels":[0,1],"logits":[[0,"NaN"],[0,0]]}""", "logits[0][1]"),
            ("""{"labels":[0,1],"logits":[[0,1e400],[0,0]]}""", "logits[0][1]"),
            ("""{"labels":[],"logits":[]}""", "labels"),
            ("""{"labels":[0,1],"probabilities":[[0.5,0.5],[0.5,0.5]],"weights":[0,0]}""", "weights"),
            ("""{"labels":[0,1],"probabilities":[[0.5,0.5],[0.5,0.5]],"options":{"positiveWeight":2}}""", "options.positiveWeight"),
            ("""{"labels":[0,1],"probabilities":[[0.5,0.5],[0.5,0.5]],"options":{"renormalize":true,"epsilon":0.7}}""", "options.epsilon"),
            ("""{"labels":[0,1],"probabilities":[[0,0],[0.5,0.5]],"options":{"renormalize":true}}""", "probabilities[0]"),
        };
        var client = Factories.For(environment).CreateClient();

        foreach (var (body, key) in cases)
        {
            var (status, contentType, json, _) = await Http.PostJson(client, Path, body);

            var problem = Http.AssertProblem(HttpStatusCode.BadRequest, status, contentType, json);
            Assert.True(problem["errors"]!.AsObject().ContainsKey(key), $"{key} not in {problem.ToJsonString()} for {body}");
        }
    }

    [Fact]
    public async Task A_row_that_does_not_sum_to_one_says_its_sum()
    {
        var (_, _, body, _) = await Http.PostJson(factory.CreateClient(), Path, """{"labels":[0,1],"probabilities":[[0.5,0.5],[0.2,0.3]]}""");

        Assert.Contains("Sums to 0.5", body!["errors"]!["probabilities[1]"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Too_many_samples_is_a_413_problem_and_the_swagger_document_has_the_example()
    {
        using var small = new LogLossApiFactory("Production", new Dictionary<string, string?> { ["Limits:MaxSamples"] = "1" });
        var client = small.CreateClient();

        var (status, contentType, body, _) = await Http.PostJson(client, Path, """{"labels":[0,1],"probabilities":[[0.5,0.5],[0.5,0.5]]}""");
        var document = JsonNode.Parse(await client.GetStringAsync("/swagger/v1/swagger.json"))!;

        Http.AssertProblem(HttpStatusCode.RequestEntityTooLarge, status, contentType, body);
        var example = document["paths"]![Path]!["post"]!["responses"]!["200"]!["content"]!["application/json"]!["example"]!;
        Assert.Equal(0.720600897061747, example["meanLoss"]!.GetValue<double>(), 12);
        Assert.Equal("red", example["classes"]![0]!["name"]!.GetValue<string>());
    }
}
