using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using Xunit.Abstractions;

namespace LogLossApi.Tests;

/// <summary>
/// Extreme but valid requests for every endpoint: the edge values of every range (probabilities 0, 1 and the
/// smallest doubles, logits up to ±1.8e308, ε from 5e-324 to just below 0.5, weights from 1e-300 to the largest
/// double, forecasts one ulp either side of every bin edge, C from 5e-324 to 1e308). Every answer must be a 200 or a
/// 4xx problem, never contain −0, and for a 200 the identities of the contract must hold.
/// </summary>
public sealed class ExtremeFuzzTests(ITestOutputHelper output)
{
    private const int Executions = 400;

    private static readonly double[] EdgeProbabilities =
        [0, 1, double.Epsilon, 2.2250738585072014e-308, 1e-300, 2.220446049250313e-16, 1.1102230246251565e-16, 0.9999999999999999, 0.5, 1e-16, 1 - 1e-12];

    private static readonly double[] EdgeLogits =
        [double.MaxValue, -double.MaxValue, 1e308, -1e308, 1e300, -1e300, 745, -745, 710, -710, 709.78, -709.78, 40, -40, 0, 1e-300, -1e-300];

    private static readonly double[] WeightScales = [1e-300, 1e-150, 1, 1e150, 1e300];

    private static readonly double[] Epsilons = [double.Epsilon, 1e-300, 2.220446049250313e-16, 1e-7, 0.1, 0.4999999999999999];

    private static readonly double[] PositiveWeights = [1e-300, 1e-10, 1, 3, 1e10, 1e300];

    private static readonly double[] Smoothings = [0, 0, 1e-300, 0.1, 0.5, 0.9999999999999999];

    private static readonly Gen<double> Probability = Gen.Frequency((3, Pick(EdgeProbabilities)), (2, Gen.Double[0.0, 1.0]));

    private static readonly Gen<double> Logit = Gen.Frequency((3, Pick(EdgeLogits)), (1, Gen.Double[-50.0, 50.0]));

    /// <summary>k/B for a random B, or the double one ulp either side of it.</summary>
    private static readonly Gen<(int Bins, double Forecast)> NearEdge =
        Gen.Select(Gen.Int[1, 1000], Gen.Double[0.0, 1.0], Gen.Int[-1, 1]).Select((bins, at, side) =>
        {
            var edge = Math.Floor(at * bins) / bins;
            return (bins, side switch { < 0 => Math.Max(0, Math.BitDecrement(edge)), > 0 => Math.Min(1, Math.BitIncrement(edge)), _ => edge });
        });

    private static readonly Gen<double[]?> Weights = Gen.Frequency(
        (2, Gen.Const((double[]?)null)),
        (3, Gen.Select(Pick(WeightScales), Gen.Double[0.0, 1.0].Array[6]).Select<double, double[], double[]?>((s, w) => [.. w.Select((v, i) => i == 0 ? s : v * s)])),
        (1, Gen.Double[0.0, 1.0].Array[6].Select<double[], double[]?>(w => [.. w.Select((v, i) => i == 0 ? double.MaxValue : v * double.MaxValue)])));

    private static readonly Gen<double[]> HardLabels = Gen.Int[0, 1].Array[6].Select(a => a.Select(v => (double)v).ToArray());

    private static readonly Gen<double[]> Labels = Gen.Frequency(
        (4, HardLabels),
        (1, Gen.Frequency((4, Gen.Int[0, 1].Select(v => (double)v)), (1, Pick([1e-300, 0.5, 0.9999999999999999]))).Array[6]));

    private static Gen<T> Pick<T>(T[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    private static string Json(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Json(IEnumerable<double> values) => "[" + string.Join(',', values.Select(Json)) + "]";

    /// <summary>A binary request: N of 1–6 samples, probabilities or logits, optional weights, extreme options.</summary>
    private static readonly Gen<(string Body, string? MulticlassBody)> BinaryBody =
        Gen.Select(Gen.Int[1, 6], Labels, Gen.Bool, Probability.Array[6], Logit.Array[6], Weights, Gen.Select(Pick(Epsilons), Pick(PositiveWeights), Pick(Smoothings), Gen.Bool))
            .Select((n, labels, logits, p, z, w, options) =>
            {
                var (eps, pw, s, bits) = options;
                var y = labels[..n];
                var predictions = logits ? z[..n] : p[..n];
                var weights = w is null ? string.Empty : $",\"weights\":{Json(w[..n])}";
                var unit = bits ? "bits" : "nats";
                var body = $"{{\"labels\":{Json(y)},\"{(logits ? "logits" : "probabilities")}\":{Json(predictions)}{weights},\"options\":{{\"epsilon\":{Json(eps)},\"positiveWeight\":{Json(pw)},\"labelSmoothing\":{Json(s)},\"unit\":\"{unit}\"}}}}";

                // The same samples as two classes, where the contract says every shared figure is equal (w₊ = 1, hard labels).
                string? multi = null;
                if (!logits && y.All(v => v is 0 or 1))
                {
                    var rows = "[" + string.Join(',', predictions.Select(q => $"[{Json(1 - q)},{Json(q)}]")) + "]";
                    multi = $"{{\"labels\":{Json(y)},\"probabilities\":{rows}{weights},\"options\":{{\"epsilon\":{Json(eps)},\"labelSmoothing\":{Json(s)},\"unit\":\"{unit}\"}}}}";
                    body = body.Replace($"\"positiveWeight\":{Json(pw)}", "\"positiveWeight\":1", StringComparison.Ordinal);
                }

                return (body, multi);
            });

    private static readonly Gen<string> MulticlassLogitsBody =
        Gen.Select(Gen.Int[1, 5], Gen.Int[2, 4], Gen.Int[0, 3].Array[5], Logit.Array[20], Weights).Select((n, c, labels, z, w) =>
        {
            var rows = "[" + string.Join(',', Enumerable.Range(0, n).Select(i => Json(z.Skip(i * c).Take(c)))) + "]";
            var weights = w is null ? string.Empty : $",\"weights\":{Json(w[..n])}";
            return $"{{\"labels\":{Json(labels[..n].Select(l => (double)(l % c)))},\"logits\":{rows}{weights}}}";
        });

    private static readonly Gen<string> CalibrationBody =
        Gen.Select(Gen.Int[1, 6], HardLabels, NearEdge.Array[6], Weights, Pick(Epsilons)).Select((n, y, forecasts, w, eps) =>
        {
            var weights = w is null ? string.Empty : $",\"weights\":{Json(w[..n])}";
            return $"{{\"labels\":{Json(y[..n])},\"probabilities\":{Json(forecasts[..n].Select(f => f.Forecast))}{weights},\"options\":{{\"bins\":{forecasts[0].Bins},\"epsilon\":{Json(eps)}}}}}";
        });

    private static readonly Gen<string> CompareBody =
        Gen.Select(Gen.Int[1, 6], HardLabels, Gen.Frequency((1, Probability.Array[6].Select(p => ("probabilities", p))), (1, Logit.Array[6].Select(z => ("logits", z)))).Array[2, 3], Weights, Pick([1e-300, 0.5, 0.95, 0.9999999999999999]))
            .Select((n, y, models, w, level) =>
            {
                var weights = w is null ? string.Empty : $",\"weights\":{Json(w[..n])}";
                var list = string.Join(',', models.Select((m, k) => $"{{\"name\":\"m{k}\",\"{m.Item1}\":{Json(m.Item2[..n])}}}"));
                return $"{{\"labels\":{Json(y[..n])},\"models\":[{list}]{weights},\"options\":{{\"confidenceLevel\":{Json(level)}}}}}";
            });

    private static readonly Gen<string> RegressionBody =
        Gen.Select(Gen.Int[2, 8], Gen.Frequency((3, Gen.Double[-5.0, 5.0]), (1, Pick([1e150, -1e150, 1e-300, 0.0, 1e100, 1e300, double.MaxValue]))).Array[8], Gen.Int[0, 1].Array[8], Pick([double.Epsilon, 1e-8, 1.0, 1e8, 1e308]), Gen.Bool)
            .Select((n, x, y, c, intercept) =>
            {
                y[0] = 0;
                y[1] = 1;
                return $"{{\"x\":{Json(x[..n])},\"y\":{Json(y[..n].Select(v => (double)v))},\"options\":{{\"c\":{Json(c)},\"fitIntercept\":{(intercept ? "true" : "false")}}}}}";
            });

    public static TheoryData<string, string> EnvironmentsAndEndpoints()
    {
        var data = new TheoryData<string, string>();
        foreach (var environment in new[] { "Development", "Production" })
        {
            foreach (var endpoint in new[] { "/v1/log-loss", "/v1/log-loss/multiclass", "/v1/log-loss/calibration", "/v1/log-loss/compare", "/v1/logistic-regression", "/v1/log-loss/chart?kind=reliability" })
            {
                data.Add(environment, endpoint);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EnvironmentsAndEndpoints))]
    public async Task Extreme_but_valid_requests_get_200_or_a_4xx_and_every_200_keeps_the_identities(string environment, string endpoint)
    {
        var client = Factories.For(environment).CreateClient();
        client.Timeout = TimeSpan.FromSeconds(20);
        var outcomes = new Dictionary<HttpStatusCode, int>();
        var refusals = new Dictionary<string, int>();
        Gen<(string Body, string? Twin)> bodies = endpoint switch
        {
            "/v1/log-loss" or "/v1/log-loss/chart?kind=reliability" => BinaryBody,
            "/v1/log-loss/multiclass" => Gen.Frequency((1, BinaryBody.Where(b => b.MulticlassBody is not null).Select(b => (b.MulticlassBody!, (string?)null))), (1, MulticlassLogitsBody.Select(b => (b, (string?)null)))),
            "/v1/log-loss/calibration" => CalibrationBody.Select(b => (b, (string?)null)),
            "/v1/log-loss/compare" => CompareBody.Select(b => (b, (string?)null)),
            _ => RegressionBody.Select(b => (b, (string?)null)),
        };

        await bodies.SampleAsync(async request =>
        {
            var (status, text) = await Post(client, endpoint, request.Body);
            lock (outcomes)
            {
                outcomes[status] = outcomes.GetValueOrDefault(status) + 1;
            }

            Assert.True(status == HttpStatusCode.OK || (int)status is >= 400 and < 500, $"{(int)status} for {request.Body}: {text}");
            if (status != HttpStatusCode.OK)
            {
                var errors = JsonNode.Parse(text)!["errors"]?.AsObject().Select(e => System.Text.RegularExpressions.Regex.Replace(e.Key, @"\[\d+\]", "[i]") + ": " + e.Value![0]) ?? [JsonNode.Parse(text)!["detail"]!.GetValue<string>()];
                lock (refusals)
                {
                    foreach (var error in errors)
                    {
                        refusals[error] = refusals.GetValueOrDefault(error) + 1;
                    }
                }

                return;
            }

            if (endpoint.Contains("chart", StringComparison.Ordinal))
            {
                return;
            }

            Assert.DoesNotMatch(Http.NegativeZero(), text);
            var body = JsonNode.Parse(text)!;
            CheckIdentities(endpoint, body, request.Body);
            if (request.Twin is not null)
            {
                var (twinStatus, twinText) = await Post(client, "/v1/log-loss/multiclass", request.Twin);
                Assert.Equal(HttpStatusCode.OK, twinStatus);
                var twin = JsonNode.Parse(twinText)!;
                AssertSame(body["meanLoss"], twin["meanLoss"], request.Body);
                AssertSame(body["entropy"]!["klDivergence"], twin["entropy"]!["klDivergence"], request.Body);
                AssertSame(body["standardError"], twin["standardError"], request.Body);
            }
        }, iter: Executions, threads: 1);

        output.WriteLine($"extreme fuzz ({environment}, {endpoint}): " + string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{(int)o.Key}×{o.Value}")));
        output.WriteLine("refused because: " + string.Join("; ", refusals.OrderByDescending(r => r.Value).Select(r => $"{r.Key} ×{r.Value}")));
        Assert.Equal(Executions, outcomes.Values.Sum());
        Assert.True(outcomes.GetValueOrDefault(HttpStatusCode.OK) > Executions / 4, "the generator's requests are mostly valid");
    }

    private static async Task<(HttpStatusCode Status, string Text)> Post(HttpClient client, string path, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        return (response.StatusCode, text);
    }

    private static double? Value(JsonNode? node) => node?.GetValue<double>();

    private static void AssertClose(double? expected, double? actual, string context)
    {
        if (expected is not { } a || actual is not { } b)
        {
            return;
        }

        Assert.True(Math.Abs(a - b) <= 1e-9 * Math.Max(1, Math.Max(Math.Abs(a), Math.Abs(b))), $"{a:R} ≠ {b:R} for {context}");
    }

    private static void AssertSame(JsonNode? expected, JsonNode? actual, string context)
    {
        Assert.Equal(expected is null, actual is null);
        AssertClose(Value(expected), Value(actual), context);
    }

    private static void CheckIdentities(string endpoint, JsonNode body, string request)
    {
        switch (endpoint)
        {
            case "/v1/log-loss" or "/v1/log-loss/multiclass":
                var entropy = body["entropy"]!;
                AssertClose(Value(entropy["crossEntropy"]), Value(entropy["labelEntropy"]) + Value(entropy["klDivergence"]), request);
                foreach (var loss in body["losses"]!.AsArray())
                {
                    Assert.True(loss is null || loss.GetValue<double>() >= 0, request);
                }

                break;
            case "/v1/log-loss/calibration":
                var d = body["decomposition"]!;
                AssertClose(Value(body["meanLoss"]), Value(d["miscalibration"]) - Value(d["discrimination"]) + Value(d["uncertainty"]), request);
                Assert.True(Value(d["miscalibration"]) is null or >= -1e-12 && Value(d["discrimination"]) >= -1e-12, request);
                break;
            case "/v1/log-loss/compare":
                foreach (var comparison in body["comparisons"]!.AsArray())
                {
                    Assert.True(Value(comparison!["pValue"]) is null or (>= 0 and <= 1), request);
                }

                break;
            default:
                Assert.All(body["coefficients"]!.AsArray(), c => Assert.True(double.IsFinite(c!.GetValue<double>())));
                break;
        }
    }
}
