using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace LogLossApi.Tests;

/// <summary>A body of a type an endpoint does not take (a form, as an HTML form or curl -d without -H sends) is a 415 that names every type it takes.</summary>
public sealed class UnsupportedMediaTypeTests
{
    public static TheoryData<string, string, string[]> Cases()
    {
        var data = new TheoryData<string, string, string[]>();
        string[] tabular = ["application/json", "text/csv", "application/vnd.apache.arrow.stream", "application/vnd.apache.parquet"];
        foreach (var environment in new[] { "Development", "Production" })
        {
            data.Add(environment, "/v1/log-loss", tabular);
            data.Add(environment, "/v1/log-loss/calibration", tabular);
            data.Add(environment, "/v1/log-loss/chart?kind=losses", tabular);
            data.Add(environment, "/v1/log-loss/multiclass", ["application/json"]);
            data.Add(environment, "/v1/log-loss/compare", ["application/json"]);
            data.Add(environment, "/v1/log-loss/merge", ["application/json"]);
            data.Add(environment, "/v1/logistic-regression", ["application/json"]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_form_body_is_a_415_naming_every_accepted_type(string environment, string path, string[] accepted)
    {
        using var content = new StringContent("labels=0&probabilities=0.2", Encoding.UTF8, "application/x-www-form-urlencoded");

        using var response = await Factories.For(environment).CreateClient().PostAsync(path, content);

        var problem = Http.AssertProblem(HttpStatusCode.UnsupportedMediaType, response.StatusCode, response.Content.Headers.ContentType?.MediaType, JsonNode.Parse(await response.Content.ReadAsStringAsync()));
        var detail = problem["detail"]!.GetValue<string>();
        Assert.Contains("application/x-www-form-urlencoded", detail, StringComparison.Ordinal);
        Assert.All(accepted, type => Assert.Contains(type, detail, StringComparison.Ordinal));
    }
}
