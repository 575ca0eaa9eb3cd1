using System.Net;
using System.Text;
using CsCheck;
using Xunit.Abstractions;

namespace LogLossApi.Tests;

/// <summary>
/// Random and adversarial JSON bodies against the in-memory service: the only acceptable answers are 200 and a 4xx
/// problem+json, never a 500 and never a hang. Bounded by count and by a per-request timeout.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    private const int Executions = 1500;

    private static readonly string[] Numbers =
    [
        "0", "1", "0.5", "-0", "1e-320", "2.220446049250313e-16", "0.9999999999999999", "1e400", "-1e400", "1e308",
        "-1", "2", "\"0.5\"", "\"NaN\"", "NaN", "Infinity", "null", "true", "[]", "{}", "1.", ".5", "01", "1e", "-",
    ];

    private static readonly string[] Keys =
    [
        "labels", "probabilities", "logits", "weights", "options", "probabilites", "Labels", "", "labels\u0000", "__proto__",
    ];

    private static readonly string[] OptionKeys = ["epsilon", "unit", "positiveWeight", "labelSmoothing", "includeLosses", "eps"];

    private static readonly string[] OptionValues = ["0", "0.1", "0.5", "-1", "1", "\"bits\"", "\"nats\"", "\"furlongs\"", "true", "false", "null", "1e400", "\"0.1\""];

    private static readonly Gen<string> NumberArray =
        Gen.OneOf(Gen.Int[0, 12].SelectMany(n => Pick(Numbers).Array[n]), Gen.Double[0.0, 1.0].Array[0, 12].Select(a => a.Select(d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture)).ToArray()))
            .Select(items => "[" + string.Join(',', items) + "]");

    private static readonly Gen<string> Options =
        Gen.Select(Pick(OptionKeys), Pick(OptionValues)).Array[0, 4]
            .Select(pairs => "{" + string.Join(',', pairs.Select(p => $"\"{p.Item1}\":{p.Item2}")) + "}");

    private static readonly Gen<string> StructuredBody =
        Gen.Select(Pick(Keys), Gen.Frequency((6, NumberArray), (1, Options), (1, Pick(Numbers)))).Array[0, 6]
            .Select(fields => "{" + string.Join(',', fields.Select(f => $"\"{f.Item1}\":{f.Item2}")) + "}");

    /// <summary>A valid seed body with random bytes cut, repeated or replaced.</summary>
    private static readonly Gen<string> MutatedBody =
        Gen.Select(Gen.Int[0, 180], Gen.Int[0, 20], Gen.Char["{}[],:\"0123456789.eE-+ntfaNI \\\n"], Gen.Int[0, 2])
            .Select((at, length, c, how) =>
            {
                const string Seed = """{"labels":[0,0,1,0,1,1,1,1,1,1],"probabilities":[0.185,0.331,0.47,0.70,0.74,0.81,0.86,0.94,0.97,0.99],"options":{"unit":"bits"}}""";
                at = Math.Min(at, Seed.Length);
                length = Math.Min(length, Seed.Length - at);
                return how switch
                {
                    0 => Seed.Remove(at, length),
                    1 => Seed.Insert(at, new string(c, length + 1)),
                    _ => Seed.Remove(at, length).Insert(at, c.ToString()),
                };
            });

    private static readonly Gen<string> Deep =
        Gen.Int[1, 200].Select(depth => "{\"labels\":" + new string('[', depth) + new string(']', depth) + "}");

    private static readonly string[] CsvHeaders = ["label", "probability", "logit", "weight", "Label", "", "label ", "\"label\"", "x"];

    private static readonly string[] CsvFields = ["0", "1", "0.5", "1e-300", "-1", "2", "NaN", "Infinity", "", "abc", "\"0.5\"", "\"", "0x1", "1,5", "1e400"];

    private static readonly Gen<string> CsvField =
        Gen.Frequency((4, Gen.Double[0.0, 1.0].Select(d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture))), (1, Pick(CsvFields)));

    /// <summary>A header of names (mostly the right ones), then 0–8 rows, mostly as wide as the header, sometimes ragged.</summary>
    private static readonly Gen<string> CsvBody =
        Gen.Frequency((5, Gen.Const(new[] { "label", "probability" })), (2, Gen.Const(new[] { "label", "logit", "weight" })), (2, Pick(CsvHeaders).Array[0, 4]))
            .SelectMany(header => Gen.Select(
                Gen.Frequency((5, CsvField.Array[header.Length]), (1, CsvField.Array[0, 5])).Array[0, 8],
                Gen.Bool,
                (rows, crlf) => string.Join(',', header) + (crlf ? "\r\n" : "\n") + string.Join(crlf ? "\r\n" : "\n", rows.Select(r => string.Join(',', r)))));

    private static readonly Gen<string> Query =
        Gen.Select(Pick(OptionKeys), Pick(["0.1", "bits", "nats", "true", "false", "-1", "x", ""])).Array[0, 3]
            .Select(pairs => pairs.Length == 0 ? string.Empty : "?" + string.Join('&', pairs.Select(p => $"{p.Item1}={p.Item2}")));

    /// <summary>A valid Arrow stream of the seed with bytes cut off, overwritten or duplicated.</summary>
    private static readonly Gen<byte[]> ArrowBody =
        Gen.Select(Gen.Int[0, 2000], Gen.Int[1, 16], Gen.Byte, Gen.Int[0, 2]).Select((at, length, value, how) =>
        {
            var seed = Tabular.ToArrow(LogLossApi.Testing.Fixtures.Named("seed-example.json").Request);
            at = Math.Min(at, seed.Length - 1);
            length = Math.Min(length, seed.Length - at);
            return how switch
            {
                0 => seed[..at],
                1 => [.. seed[..at], .. Enumerable.Repeat(value, length), .. seed[(at + length)..]],
                _ => [.. seed[..(at + length)], .. seed[at..]],
            };
        });

    /// <summary>Multiclass bodies: random label arrays and matrices (ragged, wrong-sized, junk values), and a mutated valid body.</summary>
    private static readonly Gen<string> MulticlassBody = Gen.Frequency(
        (3, Gen.Select(
            NumberArray,
            NumberArray.Array[0, 5],
            Pick(["probabilities", "logits", "probabilites"]),
            Gen.Frequency((3, Gen.Const(string.Empty)), (1, Options.Select(o => ",\"options\":" + o)), (1, Gen.Const(",\"classNames\":[\"a\",\"a\"]"))),
            (labels, rows, key, extra) => $"{{\"labels\":{labels},\"{key}\":[{string.Join(',', rows)}]{extra}}}")),
        (2, Gen.Select(Gen.Int[0, 95], Gen.Int[0, 8], Gen.Char["{}[],:\"0123456789.eE-+ \\"]).Select((at, length, c) =>
        {
            const string Seed = """{"labels":[0,2,1],"probabilities":[[0.7,0.2,0.1],[0.1,0.1,0.8],[0.3,0.4,0.3]],"classNames":["r","g","b"]}""";
            at = Math.Min(at, Seed.Length);
            return Seed.Remove(at, Math.Min(length, Seed.Length - at)).Insert(at, c.ToString());
        })));

    /// <summary>Logistic-regression bodies: x as numbers or rows, y as random numbers, random options; and a mutated seed.</summary>
    private static readonly Gen<string> RegressionBody = Gen.Frequency(
        (3, Gen.Select(
            Gen.OneOf(NumberArray, NumberArray.Array[0, 5].Select(rows => "[" + string.Join(',', rows) + "]")),
            Gen.OneOf(NumberArray, Gen.Int[0, 1].Array[0, 12].Select(y => "[" + string.Join(',', y) + "]")),
            Pick(["", ",\"options\":{\"c\":0.5}", ",\"options\":{\"c\":-1}", ",\"options\":{\"fitIntercept\":false}", ",\"options\":{\"c\":1e308}"]),
            (x, y, options) => $"{{\"x\":{x},\"y\":{y}{options}}}")),
        (2, Gen.Select(Gen.Int[0, 90], Gen.Int[0, 8], Gen.Char["{}[],:\"0123456789.eE-+ \\"]).Select((at, length, c) =>
        {
            const string Seed = """{"x":[-2.2,-1.4,-0.8,0.2,0.4,0.8,1.2,2.2,2.9,4.6],"y":[0,0,1,0,1,1,1,1,1,1]}""";
            at = Math.Min(at, Seed.Length);
            return Seed.Remove(at, Math.Min(length, Seed.Length - at)).Insert(at, c.ToString());
        })));

    /// <summary>Compare bodies: mostly well-formed (3 labels, 2–4 models of 3 forecasts), else random names, keys and lengths.</summary>
    private static readonly Gen<string> CompareBody = Gen.Frequency(
        (1, Gen.Int[0, 1].Array[3].SelectMany(labels => Gen.Double[0.0, 1.0].Array[3].Array[2, 4].Select(models =>
            $"{{\"labels\":[{string.Join(',', labels)}],\"models\":[{string.Join(',', models.Select((m, k) => $"{{\"name\":\"m{k}\",\"probabilities\":[{string.Join(',', m.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))}]}}"))}]}}"))),
        (2, Gen.Select(
            NumberArray,
            Gen.Select(Pick(["a", "b", "a", "", "c"]), Pick(["probabilities", "logits", "probabilites"]), NumberArray, (name, key, values) => $"{{\"name\":\"{name}\",\"{key}\":{values}}}").Array[0, 4],
            Pick(["", ",\"options\":{\"confidenceLevel\":0.9}", ",\"options\":{\"confidenceLevel\":1}", ",\"weights\":[1,2,3]"]),
            (labels, models, extra) => $"{{\"labels\":{labels},\"models\":[{string.Join(',', models)}]{extra}}}")));

    /// <summary>A state of every kind as a response gives it, for the merge bodies below.</summary>
    private static readonly string[] SeedStates = [.. States.OfEveryKind().Select(s => s.ToJsonString())];

    private static readonly string[] StateValues =
    [
        "0", "1", "-1", "1e308", "-1e308", "5e-324", "1100", "1101", "999999", "1000000", "2147483647", "9223372036854775807", "1e400", "null",
        "\"binary\"", "\"calibration\"", "\"logits\"", "\"x\"", "{\"sum\":1,\"compensation\":0}", "{\"sum\":-1,\"compensation\":0}",
        "{\"sum\":1e308,\"compensation\":1e308}", "{\"mean\":1,\"weight\":1,\"s\":1e308,\"t\":-1e308,\"q\":1e308}", "[]", "{}", "[0,0]",
        "[-1]", "[1e308,1e308]", "[2147483647]", "[\"a\",\"a\"]",
    ];

    /// <summary>
    /// Merge bodies: 1–4 states of random kinds, some values anywhere in them (found by walking each state) replaced by
    /// extreme or wrong values, or a field added; and a mutated body.
    /// </summary>
    private static readonly Gen<string> MergeBody = Gen.Frequency(
        (3, Gen.Select(Gen.Int[0, SeedStates.Length - 1], Gen.Select(Gen.Int, Pick(StateValues)).Array[0, 3]).Array[1, 4].Select(states => "{\"states\":[" + string.Join(',', states.Select(change =>
        {
            var state = System.Text.Json.Nodes.JsonNode.Parse(SeedStates[change.Item1])!.AsObject();
            foreach (var (at, value) in change.Item2)
            {
                var nodes = Walk(state).ToList();
                var (parent, key) = nodes[(int)((uint)at % (uint)nodes.Count)];
                if (parent is System.Text.Json.Nodes.JsonObject obj)
                {
                    obj[key is string name && at % 7 != 0 ? name : "extra"] = System.Text.Json.Nodes.JsonNode.Parse(value);
                }
                else if (parent is System.Text.Json.Nodes.JsonArray array)
                {
                    array[(int)key!] = System.Text.Json.Nodes.JsonNode.Parse(value);
                }
            }

            return state.ToJsonString();
        })) + "],\"options\":{\"unit\":\"bits\"}}")),
        (1, Gen.Select(Gen.Int[0, SeedStates.Length - 1], Gen.Int[0, 900], Gen.Int[0, 8], Gen.Char["{}[],:\"0123456789.eE-+ \\"]).Select((kind, at, length, c) =>
        {
            var seed = "{\"states\":[" + SeedStates[kind] + "," + SeedStates[kind] + "]}";
            at = Math.Min(at, seed.Length);
            return seed.Remove(at, Math.Min(length, seed.Length - at)).Insert(at, c.ToString());
        })));

    /// <summary>Every member and element of a JSON tree, as its container and its name or index.</summary>
    private static IEnumerable<(System.Text.Json.Nodes.JsonNode Parent, object Key)> Walk(System.Text.Json.Nodes.JsonNode node)
    {
        switch (node)
        {
            case System.Text.Json.Nodes.JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                {
                    yield return (obj, name);
                    foreach (var inner in child is null ? [] : Walk(child))
                    {
                        yield return inner;
                    }
                }

                break;
            case System.Text.Json.Nodes.JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    yield return (array, i);
                    foreach (var inner in array[i] is { } child ? Walk(child) : [])
                    {
                        yield return inner;
                    }
                }

                break;
        }
    }

    public static TheoryData<string, string> EnvironmentsAndModelEndpoints()
    {
        var data = new TheoryData<string, string>();
        foreach (var environment in new[] { "Development", "Production" })
        {
            data.Add(environment, "/v1/log-loss/multiclass");
            data.Add(environment, "/v1/logistic-regression");
            data.Add(environment, "/v1/log-loss/calibration");
            data.Add(environment, "/v1/log-loss/compare");
            data.Add(environment, "/v1/log-loss/chart?kind=losses");
            data.Add(environment, "/v1/log-loss/merge");
        }

        return data;
    }

    private static Gen<string> Pick(string[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    [Theory]
    [MemberData(nameof(Factories.Environments), MemberType = typeof(Factories))]
    public async Task Random_bodies_get_200_or_a_4xx_problem_and_never_a_500_or_a_hang(string environment)
    {
        var client = Factories.For(environment).CreateClient();
        client.Timeout = TimeSpan.FromSeconds(10);
        var outcomes = new Dictionary<HttpStatusCode, int>();
        var executions = 0;

        await Gen.Frequency((4, StructuredBody), (4, MutatedBody), (1, Deep)).SampleAsync(async body =>
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await client.PostAsync("/v1/log-loss", content);
            var status = response.StatusCode;
            lock (outcomes)
            {
                executions++;
                outcomes[status] = outcomes.GetValueOrDefault(status) + 1;
            }

            Assert.True(status == HttpStatusCode.OK || (int)status is >= 400 and < 500, $"{(int)status} for {body}");
            if (status != HttpStatusCode.OK)
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }, iter: Executions, threads: 1);

        Report(environment, "json", executions, outcomes);
    }

    [Theory]
    [MemberData(nameof(EnvironmentsAndModelEndpoints))]
    public async Task Random_bodies_for_the_model_endpoints_get_200_or_a_4xx_problem_and_never_a_500_or_a_hang(string environment, string endpoint)
    {
        var client = Factories.For(environment).CreateClient();
        client.Timeout = TimeSpan.FromSeconds(10);
        var outcomes = new Dictionary<HttpStatusCode, int>();
        var executions = 0;

        var bodies = endpoint switch
        {
            "/v1/log-loss/multiclass" => MulticlassBody,
            "/v1/logistic-regression" => RegressionBody,
            "/v1/log-loss/calibration" or "/v1/log-loss/chart?kind=losses" => Gen.Frequency((1, StructuredBody), (1, MutatedBody)),
            "/v1/log-loss/merge" => MergeBody,
            _ => CompareBody,
        };
        await bodies.SampleAsync(async body =>
        {
            var (status, contentType, _, _) = await Tabular.Post(client, endpoint, Encoding.UTF8.GetBytes(body), "application/json");
            lock (outcomes)
            {
                executions++;
                outcomes[status] = outcomes.GetValueOrDefault(status) + 1;
            }

            Assert.True(status == HttpStatusCode.OK || (int)status is >= 400 and < 500, $"{(int)status} for {body}");
            if (status != HttpStatusCode.OK)
            {
                Assert.Equal("application/problem+json", contentType);
            }
        }, iter: Executions, threads: 1);

        Report(environment, endpoint, executions, outcomes);
    }

    [Theory]
    [MemberData(nameof(Factories.Environments), MemberType = typeof(Factories))]
    public async Task Random_csv_and_arrow_bodies_get_200_or_a_4xx_problem_and_never_a_500_or_a_hang(string environment)
    {
        var client = Factories.For(environment).CreateClient();
        client.Timeout = TimeSpan.FromSeconds(10);
        var outcomes = new Dictionary<HttpStatusCode, int>();
        var executions = 0;
        var bodies = Gen.Frequency(
            (1, CsvBody.Select(text => (Bytes: Encoding.UTF8.GetBytes(text), Type: Tabular.Csv))),
            (1, ArrowBody.Select(bytes => (Bytes: bytes, Type: Tabular.Arrow))));

        await Gen.Select(bodies, Query, Pick(["/v1/log-loss", "/v1/log-loss/calibration"])).SampleAsync(async (body, query, path) =>
        {
            var (status, contentType, _, _) = await Tabular.Post(client, path + query, body.Bytes, body.Type);
            lock (outcomes)
            {
                executions++;
                outcomes[status] = outcomes.GetValueOrDefault(status) + 1;
            }

            Assert.True(
                status == HttpStatusCode.OK || (int)status is >= 400 and < 500,
                $"{(int)status} for {body.Type} {query}: {Convert.ToBase64String(body.Bytes)}; the service logged: {Factories.For(environment).Logs.Events.LastOrDefault(e => e.Exception is not null)?.Exception}");
            if (status != HttpStatusCode.OK)
            {
                Assert.Equal("application/problem+json", contentType);
            }
        }, iter: Executions, threads: 1);

        Report(environment, "csv+arrow", executions, outcomes);
    }

    private void Report(string environment, string format, int executions, Dictionary<HttpStatusCode, int> outcomes)
    {
        output.WriteLine($"fuzz ({environment}, {format}): {executions} executions: " + string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{(int)o.Key}×{o.Value}")));
        Assert.Equal(Executions, executions);
        Assert.True(outcomes.GetValueOrDefault(HttpStatusCode.BadRequest) > 0 && outcomes.GetValueOrDefault(HttpStatusCode.OK) > 0, "the generators reach both outcomes");
    }
}
