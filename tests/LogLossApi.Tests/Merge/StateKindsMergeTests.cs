using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LogLossApi.Testing;

namespace LogLossApi.Tests;

/// <summary>
/// Multiclass, compare and calibration states through HTTP: pieces of random rows scored with includeState and merged
/// flat and as a tree give one request's answer (1e-12 for multiclass and compare; for calibration the exact mean loss,
/// uncertainty and bins, and miscalibration and discrimination at most the exact ones); every error row of a state of any kind.
/// </summary>
public sealed class StateKindsMergeTests
{
    private const string MergePath = "/v1/log-loss/merge";

    [Theory]
    [InlineData("Development", 3)]
    [InlineData("Production", 4)]
    public async Task Multiclass_pieces_merge_to_one_request(string environment, int seed)
    {
        var client = Factories.For(environment).CreateClient();
        var random = new Random(seed);
        var all = Multiclass(random, 2_000 + random.Next(1_000), classes: 3);
        const string Options = """{"includeLosses":false,"labelSmoothing":0.1}""";

        var whole = await Post(client, "/v1/log-loss/multiclass", Pieces.With(all, Options, """{"unit":"bits"}"""));
        var states = await PieceStates(client, "/v1/log-loss/multiclass", all, random, Options);

        await AssertMergesTo(client, whole, states, "multiclass", """{"unit":"bits"}""");
    }

    [Theory]
    [InlineData("Development", 5)]
    [InlineData("Production", 6)]
    public async Task Compare_pieces_merge_to_one_request(string environment, int seed)
    {
        var client = Factories.For(environment).CreateClient();
        var random = new Random(seed);
        var rows = 2_000 + random.Next(1_000);
        var all = new JsonObject
        {
            ["labels"] = Numbers(rows, _ => random.Next(2)),
            ["weights"] = Numbers(rows, _ => random.NextDouble() * 3),
            ["models"] = new JsonArray(
                new JsonObject { ["name"] = "base", ["probabilities"] = Numbers(rows, _ => random.NextDouble()) },
                new JsonObject { ["name"] = "new", ["logits"] = Numbers(rows, _ => (random.NextDouble() * 8) - 4) }),
        };

        var whole = await Post(client, "/v1/log-loss/compare", Pieces.With(all, """{"confidenceLevel":0.9}"""));
        var states = await PieceStates(client, "/v1/log-loss/compare", all, random, "{}");

        await AssertMergesTo(client, whole, states, "compare", """{"confidenceLevel":0.9}""");
    }

    [Theory]
    [InlineData("Development", 7)]
    [InlineData("Production", 8)]
    public async Task Calibration_pieces_merge_within_the_documented_bounds(string environment, int seed)
    {
        var client = Factories.For(environment).CreateClient();
        var random = new Random(seed);
        var rows = 3_000 + random.Next(1_000);
        var all = new JsonObject
        {
            ["labels"] = Numbers(rows, _ => random.Next(2)),
            ["probabilities"] = Numbers(rows, _ => Math.Round(random.NextDouble(), 3)),
        };

        var exact = (await Post(client, "/v1/log-loss/calibration", Pieces.With(all, """{"bins":20}"""))).AsObject();
        var states = new List<JsonNode>();
        var cuts = Cuts(rows, random);
        for (var i = 0; i + 1 < cuts.Length; i++)
        {
            var piece = Pieces.Slice(all, cuts[i], cuts[i + 1]);
            var response = (i % 3) switch
            {
                0 => await Http.PostJson(client, "/v1/log-loss/calibration", Pieces.With(piece, """{"includeState":true,"stateBuckets":1000}""")),
                1 => await Tabular.Post(client, "/v1/log-loss/calibration?includeState=true&stateBuckets=1000", Encoding.UTF8.GetBytes(Tabular.ToCsv(piece)), Tabular.Csv),
                _ => await Tabular.Post(client, "/v1/log-loss/calibration?includeState=true&stateBuckets=1000", Tabular.ToArrow(piece), Tabular.Arrow),
            };
            Assert.True(response.Status == HttpStatusCode.OK, response.Body?.ToJsonString());
            Assert.Null(response.Body!["approximate"]);
            states.Add(response.Body["state"]!.DeepClone());
        }

        foreach (var merged in await FlatAndTree(client, states, """{"bins":20}"""))
        {
            Assert.True(merged["approximate"]!.GetValue<bool>());
            Assert.Equal(1000, merged["bucketCount"]!.GetValue<int>());
            var e = exact["decomposition"]!;
            var m = merged["decomposition"]!;
            Assert.Equal(exact["meanLoss"]!.GetValue<double>(), merged["meanLoss"]!.GetValue<double>(), 1e-12);
            Assert.Equal(e["uncertainty"]!.GetValue<double>(), m["uncertainty"]!.GetValue<double>(), 1e-12);
            Assert.True(m["miscalibration"]!.GetValue<double>() <= e["miscalibration"]!.GetValue<double>() + 1e-12);
            Assert.True(m["discrimination"]!.GetValue<double>() <= e["discrimination"]!.GetValue<double>() + 1e-12);
            Assert.Empty(JsonComparison.Differences(exact["bins"]!, merged["bins"]!, 1e-12, 1e-15));
            Assert.Equal(exact["expectedCalibrationError"]!.GetValue<double>(), merged["expectedCalibrationError"]!.GetValue<double>(), 1e-12);
        }
    }

    [Fact]
    public async Task A_state_does_not_grow_with_the_rows()
    {
        var client = Factories.For("Production").CreateClient();
        var random = new Random(9);
        var small = await Post(client, "/v1/log-loss/multiclass", Pieces.With(Multiclass(random, 10, classes: 4), """{"includeState":true,"includeLosses":false}"""));
        var large = await Post(client, "/v1/log-loss/multiclass", Pieces.With(Multiclass(random, 20_000, classes: 4), """{"includeState":true,"includeLosses":false}"""));

        Assert.Equal("multiclass", small["state"]!["kind"]!.GetValue<string>());
        Assert.InRange(large["state"]!.ToJsonString().Length, 0, small["state"]!.ToJsonString().Length + 400);
    }

    public static TheoryData<string, string, string, string?> BadStates()
    {
        var cases = new (string Name, Func<JsonObject> First, Func<JsonObject, JsonObject> Break, string Key, string? Says)[]
        {
            ("binary: unknown kind", States.Seed, s => Set(s, "kind", "multinomial"), "states[1].kind", "binary"),
            ("binary: unknown version", States.Seed, s => Set(s, "version", 2), "states[1].version", "version 1"),
            ("binary: other epsilon", States.Seed, s => Set(s, "epsilon", 1e-3), "states[1].epsilon", "epsilon = 0.001, but states[0] with 2.220446049250313E-16"),
            ("binary: other predictions", States.Seed, s => Set(s, "predictions", "logits"), "states[1].predictions", "predictions = \"logits\""),
            ("binary: negative sum", States.Seed, s => Set((JsonObject)s["lossSum"]!, "sum", -1), "states[1].lossSum", "≥ 0"),
            ("binary: counts that do not add up", States.Seed, s => Set(s, "positiveCount", 1_000_000), "states[1].count", "positiveCount"),
            ("binary: exponent out of range", States.Seed, s => Set(s, "weightExponent", 5000), "states[1].weightExponent", "1100"),
            ("binary: negative dispersion", States.Seed, s => Set((JsonObject)s["dispersion"]!, "s", -1), "states[1].dispersion", "≥ 0"),
            ("multiclass: other class count", MulticlassState, s => MulticlassState(classes: 4), "states[1].classCount", "classCount = 4, but states[0] with 3"),
            ("multiclass: other class names", MulticlassState, s => Set(s, "classNames", new JsonArray("x", "y", "z")), "states[1].classNames", "\"x\""),
            ("multiclass: classes that do not match the count", MulticlassState, s => Set(s, "classCount", 5), "states[1].classes", "classCount"),
            ("multiclass: negative class count", MulticlassState, s => Set((JsonObject)s["classes"]![0]!, "count", -1), "states[1].classes[0].count", "≥ 0"),
            ("multiclass: a required field missing", MulticlassState, s => Remove(s, "clippedCount"), "states[1]", null),
            ("compare: other model names", CompareState, s => Set((JsonObject)s["models"]![1]!, "name", "other"), "states[1].models", "\"other\""),
            ("compare: a difference missing", CompareState, s => Set(s, "differences", new JsonArray()), "states[1].models", "differences"),
            ("calibration: bucket index out of range", CalibrationState, s => SetBucket(s, "index", 0, 1_000_000), "states[1].buckets.index[0]", "bucketCount"),
            ("calibration: repeated bucket", CalibrationState, s => SetBucket(s, "index", 1, ((JsonArray)s["buckets"]!["index"]!)[0]!.GetValue<int>()), "states[1].buckets.index[1]", "Repeated"),
            ("calibration: other bucket count", CalibrationState, s => Set(s, "bucketCount", 20_000), "states[1].bucketCount", "bucketCount = 20000, but states[0] with 10000"),
            ("calibration: more positives than weight", CalibrationState, s => SetBucket(s, "positive", 0, 1e9), "states[1].buckets.positive[0]", "at most"),
            ("calibration: bucket count out of range", CalibrationState, s => Set(s, "bucketCount", 5), "states[1].bucketCount", "10 to 1,000,000"),
            ("states of different kinds", MulticlassState, _ => States.Seed(), "states[1].kind", "\"binary\", but states[0] is \"multiclass\""),
            ("compare: a null model in states[0], compared with a sound state (found by the fuzz: a 500)", CompareStateWithANullModel, _ => CompareState(), "states[0].models", "two or more models"),
        };
        var data = new TheoryData<string, string, string, string?>();
        foreach (var environment in new[] { "Development", "Production" })
        {
            foreach (var (name, first, brk, key, says) in cases)
            {
                var body = new JsonObject { ["states"] = new JsonArray(first(), brk(first())) };
                data.Add($"{environment}: {name}", body.ToJsonString(), key, says);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BadStates))]
    public async Task A_state_no_accumulation_could_make_is_a_problem_keyed_by_its_path(string name, string body, string key, string? says)
    {
        var client = Factories.For(name.Split(':')[0]).CreateClient();

        var (status, contentType, json, _) = await Http.PostJson(client, MergePath, body);

        var problem = Http.AssertProblem(HttpStatusCode.BadRequest, status, contentType, json);
        var text = problem.ToJsonString();
        if (problem["errors"] is JsonObject errors)
        {
            Assert.True(errors.ContainsKey(key), $"{key} not in {text}");
            Assert.True(says is null || errors[key]![0]!.GetValue<string>().Contains(says, StringComparison.Ordinal), $"'{says}' not in {text}");
        }
        else
        {
            Assert.Null(says);
            Assert.Contains(key, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("Development", """{"bins":20}""", "options.bins", "calibration states only")]
    [InlineData("Production", """{"confidenceLevel":0.9}""", "options.confidenceLevel", "compare states only")]
    [InlineData("Production", """{"unit":"bits","bins":0}""", "options.bins", "calibration states only")]
    public async Task An_option_for_another_kind_is_a_problem(string environment, string options, string key, string says)
    {
        var body = new JsonObject { ["states"] = new JsonArray(States.Seed()), ["options"] = JsonNode.Parse(options) };

        var (status, contentType, json, _) = await Http.PostJson(Factories.For(environment).CreateClient(), MergePath, body.ToJsonString());

        var errors = Http.AssertProblem(HttpStatusCode.BadRequest, status, contentType, json)["errors"]!.AsObject();
        Assert.Contains(says, errors[key]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Development", """{"stateBuckets":100}""", "options.stateBuckets", "includeState")]
    [InlineData("Production", """{"includeState":true,"stateBuckets":9}""", "options.stateBuckets", "10 to 1,000,000")]
    public async Task State_buckets_are_checked_where_the_calibration_is_scored(string environment, string options, string key, string says)
    {
        var body = $$"""{"labels":[0,1,1],"probabilities":[0.1,0.6,0.8],"options":{{options}}}""";

        var (status, contentType, json, _) = await Http.PostJson(Factories.For(environment).CreateClient(), "/v1/log-loss/calibration", body);

        var errors = Http.AssertProblem(HttpStatusCode.BadRequest, status, contentType, json)["errors"]!.AsObject();
        Assert.Contains(says, errors[key]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static async Task AssertMergesTo(HttpClient client, JsonNode whole, List<JsonNode> states, string kind, string options)
    {
        foreach (var merged in await FlatAndTree(client, states, options))
        {
            var report = merged.DeepClone().AsObject();
            Assert.Equal(kind, report["state"]!["kind"]!.GetValue<string>());
            report.Remove("state");
            Assert.Empty(JsonComparison.Differences(whole, report, 1e-12, 1e-15));
        }
    }

    /// <summary>The states merged at once, and as a tree of two halves merged again (each half in nats).</summary>
    private static async Task<JsonObject[]> FlatAndTree(HttpClient client, List<JsonNode> states, string options)
    {
        var half = states.Count / 2;
        var left = await Merge(client, states.Take(half).ToList(), "{}");
        var right = await Merge(client, states.Skip(half).ToList(), "{}");
        return [await Merge(client, states, options), await Merge(client, [left["state"]!, right["state"]!], options)];
    }

    private static async Task<List<JsonNode>> PieceStates(HttpClient client, string path, JsonObject all, Random random, string options)
    {
        var rows = all["labels"]!.AsArray().Count;
        var cuts = Cuts(rows, random);
        var states = new List<JsonNode>();
        for (var i = 0; i + 1 < cuts.Length; i++)
        {
            var piece = await Post(client, path, Pieces.With(Pieces.Slice(all, cuts[i], cuts[i + 1]), options, """{"includeState":true}"""));
            states.Add(piece["state"]!.DeepClone());
        }

        return states;
    }

    private static async Task<JsonObject> Merge(HttpClient client, List<JsonNode> states, string options)
    {
        var body = new JsonObject { ["states"] = new JsonArray([.. states.Select(s => s.DeepClone())]), ["options"] = JsonNode.Parse(options) };
        return (await Post(client, MergePath, body.ToJsonString())).AsObject();
    }

    private static async Task<JsonNode> Post(HttpClient client, string path, string body)
    {
        var (status, _, json, _) = await Http.PostJson(client, path, body);
        Assert.True(status == HttpStatusCode.OK, json?.ToJsonString());
        return json!;
    }

    private static int[] Cuts(int rows, Random random) =>
        [.. Enumerable.Range(0, 5).Select(_ => random.Next(1, rows)).Distinct().Order().Prepend(0).Append(rows)];

    private static JsonObject Multiclass(Random random, int rows, int classes)
    {
        var probabilities = new JsonArray();
        for (var i = 0; i < rows; i++)
        {
            var raw = Enumerable.Range(0, classes).Select(_ => random.NextDouble() + 0.01).ToArray();
            probabilities.Add(new JsonArray([.. raw.Select(v => JsonValue.Create(v / raw.Sum()))]));
        }

        return new JsonObject
        {
            ["labels"] = Numbers(rows, _ => random.Next(classes)),
            ["probabilities"] = probabilities,
            ["weights"] = Numbers(rows, _ => random.NextDouble() * 1e-200),
            ["classNames"] = new JsonArray([.. Enumerable.Range(0, classes).Select(c => JsonValue.Create($"class {c}"))]),
        };
    }

    private static JsonArray Numbers(int count, Func<int, double> value) => new([.. Enumerable.Range(0, count).Select(i => JsonValue.Create(value(i)))]);

    private static JsonObject MulticlassState() => MulticlassState(classes: 3);

    private static JsonObject MulticlassState(int classes) =>
        StateOf("/v1/log-loss/multiclass", Pieces.With(Multiclass(new Random(classes), 50, classes), """{"includeState":true}"""));

    private static JsonObject CompareState() => StateOf(
        "/v1/log-loss/compare",
        """{"labels":[0,1,1,0],"models":[{"name":"a","probabilities":[0.2,0.6,0.9,0.4]},{"name":"b","logits":[-1,2,0.5,0]}],"options":{"includeState":true}}""");

    private static JsonObject CompareStateWithANullModel()
    {
        var state = CompareState();
        state["models"]![0] = null;
        return state;
    }

    private static JsonObject CalibrationState() => StateOf(
        "/v1/log-loss/calibration",
        """{"labels":[0,1,1,0,1],"probabilities":[0.2,0.6,0.9,0.4,0.55],"options":{"includeState":true}}""");

    private static JsonObject StateOf(string path, string body)
    {
        var response = Factories.For("Production").CreateClient().PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json")).GetAwaiter().GetResult();
        return JsonNode.Parse(response.Content.ReadAsStringAsync().GetAwaiter().GetResult())!["state"]!.DeepClone().AsObject();
    }

    private static JsonObject Set(JsonObject node, string field, JsonNode value)
    {
        node[field] = value;
        return (JsonObject)node.Root;
    }

    private static JsonObject Remove(JsonObject node, string field)
    {
        node.Remove(field);
        return node;
    }

    private static JsonObject SetBucket(JsonObject state, string column, int index, double value)
    {
        state["buckets"]![column]![index] = value;
        return state;
    }
}
