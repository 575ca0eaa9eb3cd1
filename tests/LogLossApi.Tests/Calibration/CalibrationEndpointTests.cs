using System.Net;
using LogLossApi.Testing;

namespace LogLossApi.Tests;

/// <summary>POST /v1/log-loss/calibration through HTTP: fixtures, the views, and every error row.</summary>
public sealed class CalibrationEndpointTests(LogLossApiFactory factory) : IClassFixture<LogLossApiFactory>
{
    private const string Path = "/v1/log-loss/calibration";

    public static TheoryData<Fixture> CalibrationFixtures() => new(Fixtures.For(Path));

    [Theory]
    [MemberData(nameof(CalibrationFixtures))]
    public async Task Decomposition_matches_the_fixture_and_adds_up(Fixture fixture)
    {
        var body = await Http.PostFixture(factory.CreateClient(), fixture);
        var terms = body["decomposition"]!;
        Assert.Equal(
            body["meanLoss"]!.GetValue<double>(),
            terms["miscalibration"]!.GetValue<double>() - terms["discrimination"]!.GetValue<double>() + terms["uncertainty"]!.GetValue<double>(),
            1e-12);
    }

    [Fact]
    public async Task Ties_are_pooled_and_bins_include_empty_ones()
    {
        var (_, _, body, _) = await Http.PostJson(factory.CreateClient(), Path, Fixtures.Named("calibration-ties.json").Request.ToJsonString());

        var blocks = body!["reliability"]!.AsArray();
        var bins = body["bins"]!.AsArray();
        Assert.Equal(8, blocks.Sum(b => b!["count"]!.GetValue<int>()));
        Assert.All(blocks.Zip(blocks.Skip(1)), pair => Assert.True(pair.First!["calibratedProbability"]!.GetValue<double>() < pair.Second!["calibratedProbability"]!.GetValue<double>()));
        Assert.Equal(10, bins.Count);
        Assert.Null(bins[0]!["observedRate"]);
        Assert.Equal(0, bins[0]!["count"]!.GetValue<int>());
        Assert.Equal(2, bins[2]!["count"]!.GetValue<int>());
        Assert.True(body["expectedCalibrationError"]!.GetValue<double>() >= 0);
    }

    [Fact]
    public async Task Bins_option_and_bits_and_logits_are_honoured()
    {
        var request = """{"labels":[0,1,1,0],"logits":[-2,1,3,0.5],"options":{"bins":4,"unit":"bits"}}""";

        var (status, _, body, _) = await Http.PostJson(factory.CreateClient(), Path, request);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(4, body!["bins"]!.AsArray().Count);
        Assert.Equal("bits", body["unit"]!.GetValue<string>());
        Assert.Equal(1.0, body["decomposition"]!["uncertainty"]!.GetValue<double>(), 12);
    }

    [Theory]
    [MemberData(nameof(Factories.Environments), MemberType = typeof(Factories))]
    public async Task Bad_input_is_a_path_keyed_problem(string environment)
    {
        var cases = new (string Body, string Key, string? Says)[]
        {
            ("""{"labels":[0,0.5],"probabilities":[0.2,0.7]}""", "labels[1]", "soft labels"),
            ("""{"labels":[0,1],"probabilities":[0.2,0.7],"options":{"bins":0}}""", "options.bins", "1 to 1000"),
            ("""{"labels":[0,1],"probabilities":[0.2,0.7],"options":{"bins":1001}}""", "options.bins", null),
            ("""{"labels":[0,1],"probabilities":[0.2,1.7]}""", "probabilities[1]", null),
            ("""{"labels":[0,1],"probabilities":[0.2]}""", "probabilities", null),
            ("""{"labels":[0,1]}""", "probabilities", null),
            ("""{"labels":[0,1],"probabilities":[0.2,0.7],"options":{"positiveWeight":2}}""", "options.positiveWeight", null),
            ("""{"labels":[0,1],"probabilities":[0.2,0.7],"weights":[0,0]}""", "weights", null),
        };
        var client = Factories.For(environment).CreateClient();

        foreach (var (body, key, says) in cases)
        {
            var (status, contentType, json, _) = await Http.PostJson(client, Path, body);

            var errors = Http.AssertProblem(HttpStatusCode.BadRequest, status, contentType, json)["errors"]!.AsObject();
            Assert.True(errors.ContainsKey(key), $"{key} not in {errors.ToJsonString()} for {body}");
            if (says is not null)
            {
                Assert.Contains(says, errors[key]![0]!.GetValue<string>(), StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [InlineData(Tabular.Csv)]
    [InlineData(Tabular.Arrow)]
    public async Task Csv_and_arrow_bodies_give_the_json_decomposition(string format)
    {
        var client = factory.CreateClient();
        foreach (var fixture in Fixtures.For(Path))
        {
            var body = format == Tabular.Csv ? System.Text.Encoding.UTF8.GetBytes(Tabular.ToCsv(fixture.Request)) : Tabular.ToArrow(fixture.Request);

            var (status, _, json, _) = await Tabular.Post(client, Path + "?bins=5", body, format);

            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Empty(JsonComparison.Differences(fixture.Expected, json, fixture.Relative, fixture.Absolute));
            Assert.Equal(5, json!["bins"]!.AsArray().Count);
        }
    }

    [Fact]
    public async Task Tabular_errors_are_keyed_by_row_or_column_and_unknown_query_options_are_refused()
    {
        var client = factory.CreateClient();

        var csv = await Tabular.Post(client, Path, "label,probability\n0,0.2\n0.5,0.7\n"u8.ToArray(), Tabular.Csv);
        var arrow = await Tabular.Post(client, Path, Tabular.ToArrow(System.Text.Json.Nodes.JsonNode.Parse("""{"labels":[0,0.5],"probabilities":[0.2,0.7]}""")!.AsObject()), Tabular.Arrow);
        var query = await Tabular.Post(client, Path + "?includeLosses=false", "label,probability\n0,0.2\n"u8.ToArray(), Tabular.Csv);

        Assert.True(Http.AssertProblem(HttpStatusCode.BadRequest, csv.Status, csv.ContentType, csv.Body)["errors"]!.AsObject().ContainsKey("rows[1].label"));
        Assert.True(Http.AssertProblem(HttpStatusCode.BadRequest, arrow.Status, arrow.ContentType, arrow.Body)["errors"]!.AsObject().ContainsKey("label[1]"));
        Assert.True(Http.AssertProblem(HttpStatusCode.BadRequest, query.Status, query.ContentType, query.Body)["errors"]!.AsObject().ContainsKey("includeLosses"));
    }
}
