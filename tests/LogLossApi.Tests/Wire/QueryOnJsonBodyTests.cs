using System.Net;
using LogLossApi.Testing;

namespace LogLossApi.Tests;

/// <summary>A query parameter beside a JSON body would be ignored: it is a 400 that names it and says where the option goes.</summary>
public sealed class QueryOnJsonBodyTests
{
    public static TheoryData<string, string, string> Cases()
    {
        var seed = Fixtures.Named("seed-example.json").Request.ToJsonString();
        var data = new TheoryData<string, string, string>();
        foreach (var environment in new[] { "Development", "Production" })
        {
            data.Add(environment, "/v1/log-loss?unit=bits", seed);
            data.Add(environment, "/v1/log-loss/calibration?bins=5", seed);
            data.Add(environment, "/v1/log-loss/chart?kind=losses&epsilon=1e-7", seed);
            data.Add(environment, "/v1/log-loss/multiclass?includeLosses=false", """{"labels":[0,1],"probabilities":[[0.6,0.4],[0.3,0.7]]}""");
            data.Add(environment, "/v1/log-loss/merge?unit=bits", $$"""{"states":[{{States.Seed().ToJsonString()}}]}""");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_query_parameter_beside_a_json_body_is_a_problem_naming_it(string environment, string path, string body)
    {
        var (status, contentType, json, _) = await Http.PostJson(Factories.For(environment).CreateClient(), path, body);

        var errors = Http.AssertProblem(HttpStatusCode.BadRequest, status, contentType, json)["errors"]!.AsObject();
        var (name, messages) = Assert.Single(errors);
        Assert.Contains(name, path, StringComparison.Ordinal);
        Assert.Contains($"\"options\": {{\"{name}\"", messages![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_charts_kind_is_read_for_every_body()
    {
        using var response = await Factories.For("Production").CreateClient().PostAsync(
            "/v1/log-loss/chart?kind=losses", new StringContent(Fixtures.Named("seed-example.json").Request.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
    }
}
