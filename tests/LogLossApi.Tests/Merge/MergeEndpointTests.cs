using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LogLossApi.Testing;

namespace LogLossApi.Tests;

/// <summary>
/// POST /v1/log-loss/merge through HTTP: pieces of random rows scored as JSON, CSV or Arrow with includeState, their
/// states merged flat and as a tree, equal one request over all rows to 1e-12; every error row of a state.
/// </summary>
public sealed class MergeEndpointTests
{
    private const string Path = "/v1/log-loss/merge";

    [Theory]
    [InlineData("Development", 1, false)]
    [InlineData("Production", 7, true)]
    [InlineData("Production", 2, false)]
    public async Task Pieces_merged_flat_and_as_a_tree_equal_one_request_over_all_rows(string environment, int seed, bool weighted)
    {
        var client = Factories.For(environment).CreateClient();
        var random = new Random(seed);
        var rows = 3_000 + random.Next(2_000);
        var all = new JsonObject
        {
            ["labels"] = new JsonArray([.. Enumerable.Range(0, rows).Select(_ => JsonValue.Create((double)random.Next(2)))]),
            ["probabilities"] = new JsonArray([.. Enumerable.Range(0, rows).Select(_ => JsonValue.Create(random.NextDouble()))]),
        };
        if (weighted)
        {
            all["weights"] = new JsonArray([.. Enumerable.Range(0, rows).Select(_ => JsonValue.Create(random.NextDouble() * 1e200))]);
        }

        var whole = await Http.PostJson(client, "/v1/log-loss", Pieces.With(all, """{"includeLosses":false,"unit":"bits","epsilon":1e-7}"""));
        var cuts = Enumerable.Range(0, 5).Select(_ => random.Next(1, rows)).Distinct().Order().Prepend(0).Append(rows).ToArray();
        var states = new List<JsonNode>();
        for (var i = 0; i + 1 < cuts.Length; i++)
        {
            var piece = Pieces.Slice(all, cuts[i], cuts[i + 1]);
            var format = i % 3;
            var response = format == 0
                ? await Http.PostJson(client, "/v1/log-loss", Pieces.With(piece, """{"includeLosses":false,"includeState":true,"epsilon":1e-7}"""))
                : await Tabular.Post(client, "/v1/log-loss?includeLosses=false&includeState=true&epsilon=1e-7", format == 1 ? Encoding.UTF8.GetBytes(Tabular.ToCsv(piece)) : Tabular.ToArrow(piece), format == 1 ? Tabular.Csv : Tabular.Arrow);
            Assert.Equal(HttpStatusCode.OK, response.Status);
            states.Add(response.Body!["state"]!.DeepClone());
        }

        var flat = await Merge(client, states, "bits");
        var left = await Merge(client, states.Take(2).ToList(), "nats");
        var right = await Merge(client, states.Skip(2).ToList(), "nats");
        var tree = await Merge(client, [left["state"]!.DeepClone(), right["state"]!.DeepClone()], "bits");

        var expected = whole.Body!.AsObject();
        foreach (var merged in new[] { flat, tree })
        {
            var report = merged.AsObject().DeepClone().AsObject();
            Assert.Equal("binary", report["state"]!["kind"]!.GetValue<string>());
            report.Remove("state");
            Assert.Empty(JsonComparison.Differences(expected, report, 1e-12, 1e-15));
        }
    }

    [Theory]
    [InlineData("""{"states":[]}""", "states")]
    [InlineData("""{}""", "states")]
    [InlineData("""{"states":[null]}""", "states[0]")]
    [InlineData("""{"states":[{"kind":"binary"}]}""", "states[0]")]
    public async Task No_usable_state_is_a_problem(string body, string key)
    {
        var (status, contentType, json, _) = await Http.PostJson(Factories.For("Production").CreateClient(), Path, body);

        var errors = Http.AssertProblem(HttpStatusCode.BadRequest, status, contentType, json)["errors"]!.AsObject();
        Assert.Contains(errors, e => e.Key.StartsWith(key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task More_states_than_the_limit_is_a_413_problem()
    {
        using var small = new LogLossApiFactory("Production", new Dictionary<string, string?> { ["Limits:MaxMergeStates"] = "2" });
        var body = new JsonObject { ["states"] = new JsonArray(States.Seed(), States.Seed(), States.Seed()) };

        var (status, contentType, json, _) = await Http.PostJson(small.CreateClient(), Path, body.ToJsonString());

        Http.AssertProblem(HttpStatusCode.RequestEntityTooLarge, status, contentType, json);
    }

    [Fact]
    public async Task A_CSV_answer_cannot_carry_a_state()
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "/v1/log-loss")
        {
            Content = new StringContent("""{"labels":[0,1],"probabilities":[0.2,0.7],"options":{"includeState":true}}""", Encoding.UTF8, "application/json"),
        };
        message.Headers.Accept.ParseAdd("text/csv");

        var response = await Factories.For("Production").CreateClient().SendAsync(message);

        var problem = Http.AssertProblem(HttpStatusCode.BadRequest, response.StatusCode, response.Content.Headers.ContentType?.MediaType, JsonNode.Parse(await response.Content.ReadAsStringAsync()));
        Assert.True(problem["errors"]!.AsObject().ContainsKey("options.includeState"));
    }

    private static async Task<JsonNode> Merge(HttpClient client, List<JsonNode> states, string unit)
    {
        var body = new JsonObject { ["states"] = new JsonArray([.. states.Select(s => s.DeepClone())]), ["options"] = new JsonObject { ["unit"] = unit } };
        var (status, _, json, _) = await Http.PostJson(client, Path, body.ToJsonString());
        Assert.True(status == HttpStatusCode.OK, json?.ToJsonString());
        return json!;
    }
}
