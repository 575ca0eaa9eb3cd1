using System.Net;
using System.Text.Json.Nodes;
using LogLossApi.Testing;

namespace LogLossApi.Tests;

/// <summary>POST /v1/logistic-regression through HTTP: the seed fixture, the Swagger example, and every error row.</summary>
public sealed class LogisticRegressionEndpointTests(LogLossApiFactory factory) : IClassFixture<LogLossApiFactory>
{
    private const string Path = "/v1/logistic-regression";

    public static TheoryData<Fixture> RegressionFixtures() => new(Fixtures.For(Path));

    [Theory]
    [MemberData(nameof(RegressionFixtures))]
    public async Task Fit_matches_the_fixture_field_by_field(Fixture fixture)
    {
        var body = await Http.PostFixture(factory.CreateClient(), fixture);
        Assert.True(body["converged"]!.GetValue<bool>());
        Assert.Equal(10, body["probabilities"]!.AsArray().Count);
        Assert.Equal(10, body["logLoss"]!["losses"]!.AsArray().Count);
    }

    [Fact]
    public async Task Swagger_shows_the_seed_points_and_the_articles_table()
    {
        var document = JsonNode.Parse(await factory.CreateClient().GetStringAsync("/swagger/v1/swagger.json"))!;

        var operation = document["paths"]![Path]!["post"]!;
        var request = operation["requestBody"]!["content"]!["application/json"]!["example"]!;
        var response = operation["responses"]!["200"]!["content"]!["application/json"]!["example"]!;
        Assert.Equal("[-2.2,-1.4,-0.8,0.2,0.4,0.8,1.2,2.2,2.9,4.6]", request["x"]!.ToJsonString());
        Assert.Equal(0.97193, response["coefficients"]![0]!.GetValue<double>(), 5);
        Assert.Equal(0.33291, response["logLoss"]!["meanLoss"]!.GetValue<double>(), 5);
    }

    [Fact]
    public async Task Rows_of_features_constant_features_and_no_intercept_are_fitted()
    {
        var client = factory.CreateClient();

        var rows = await Http.PostJson(client, Path, """{"x":[[1,5],[2,5],[3,5],[4,5]],"y":[0,0,1,1]}""");
        var noIntercept = await Http.PostJson(client, Path, """{"x":[1,2,3,4],"y":[0,1,0,1],"options":{"fitIntercept":false,"c":10}}""");

        Assert.Equal(HttpStatusCode.OK, rows.Status);
        Assert.Equal(2, rows.Body!["coefficients"]!.AsArray().Count);
        Assert.Equal(HttpStatusCode.OK, noIntercept.Status);
        Assert.Equal(0.0, noIntercept.Body!["intercept"]!.GetValue<double>());
    }

    [Theory]
    [MemberData(nameof(Factories.Environments), MemberType = typeof(Factories))]
    public async Task Bad_input_is_a_path_keyed_problem(string environment)
    {
        var cases = new (string Body, string Key)[]
        {
            ("""{"x":[[1,2],[3]],"y":[0,1]}""", "x[1]"),
            ("""{"x":[1,[2]],"y":[0,1]}""", "x[1]"),
            ("""{"x":[1,2,3],"y":[0,1]}""", "y"),
            ("""{"x":[1,2],"y":[0,2]}""", "y[1]"),
            ("""{"x":[1,2],"y":[1,1]}""", "y"),
            ("""{"x":[1],"y":[1]}""", "y"),
            ("""{"x":[1,2],"y":[0,1],"options":{"c":0}}""", "options.c"),
            ("""{"x":[1,2],"y":[0,1],"options":{"c":-1}}""", "options.c"),
            ("""{"x":[1,"NaN"],"y":[0,1]}""", "x[1]"),
            ("""{"x":[1,1e400],"y":[0,1]}""", "x[1]"),
            ("""{"x":[[1,1e400],[0,0]],"y":[0,1]}""", "x[0][1]"),
            ("""{"y":[0,1]}""", "x"),
            ("""{"x":[1,2]}""", "y"),
            ("""{"x":[[],[]],"y":[0,1]}""", "x"),
            ("""{"x":[1,2],"y":[0,1],"options":{"C":1}}""", "options.C"),
        };
        var client = Factories.For(environment).CreateClient();

        foreach (var (body, key) in cases)
        {
            var (status, contentType, json, _) = await Http.PostJson(client, Path, body);

            var problem = Http.AssertProblem(HttpStatusCode.BadRequest, status, contentType, json);
            Assert.True(problem["errors"]!.AsObject().ContainsKey(key), $"{key} not in {problem.ToJsonString()} for {body}");
        }
    }
}
