using System.Net;
using System.Text.Json.Nodes;

namespace LogLossApi.Tests;

/// <summary>Valid inputs at the edges of their ranges, through HTTP: a number or null, never a 500 or a wrong digit.</summary>
public sealed class ExtremesHttpTests
{
    private static async Task<(JsonNode Body, string Text)> Ok(string environment, string path, string body)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await Factories.For(environment).CreateClient().PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return (JsonNode.Parse(text)!, text);
    }

    private static double Number(JsonNode body, string path)
    {
        var node = body;
        foreach (var part in path.Split('.'))
        {
            node = int.TryParse(part, out var index) ? node![index] : node![part];
        }

        return node!.GetValue<double>();
    }

    private static void AssertRelative(double expected, double actual, double relative = 1e-12, double absolute = 0) =>
        Assert.True(Math.Abs(expected - actual) <= (relative * Math.Abs(expected)) + absolute, $"expected {expected:R}, got {actual:R}");

    [Theory]
    [MemberData(nameof(Factories.Environments), MemberType = typeof(Factories))]
    public async Task A_perplexity_beyond_the_double_range_is_null_on_the_binary_and_the_multiclass_endpoint(string environment)
    {
        var (binary, _) = await Ok(environment, "/v1/log-loss", """{"labels":[1],"logits":[-710]}""");
        var (tiny, _) = await Ok(environment, "/v1/log-loss", """{"labels":[1,1],"probabilities":[0,0],"options":{"epsilon":5e-324}}""");
        var (multi, _) = await Ok(environment, "/v1/log-loss/multiclass", """{"labels":[0],"logits":[[-1500,0]]}""");

        Assert.Null(binary["entropy"]!["perplexity"]);
        AssertRelative(710, Number(binary, "meanLoss"));
        Assert.Null(tiny["entropy"]!["perplexity"]);
        AssertRelative(-Math.Log(double.Epsilon), Number(tiny, "meanLoss"));
        Assert.Null(multi["entropy"]!["perplexity"]);
        AssertRelative(1500, Number(multi, "meanLoss"));
    }

    [Theory]
    [InlineData("Development", 1e200)]
    [InlineData("Production", 1e-200)]
    [InlineData("Development", 1e300)]
    [InlineData("Production", 1e-300)]
    public async Task Weights_at_extreme_scales_give_the_answer_of_the_same_weights_near_one(string environment, double scale)
    {
        double[] weights = [1, 3, 2, 0.5];
        string Scaled(double s) => "[" + string.Join(',', weights.Select(w => (w * s).ToString("R", System.Globalization.CultureInfo.InvariantCulture))) + "]";
        var bodies = new Dictionary<string, string>
        {
            ["/v1/log-loss"] = """{"labels":[1,0,1,0],"probabilities":[0.3,0.6,0.8,0.1],"weights":W}""",
            ["/v1/log-loss/multiclass"] = """{"labels":[1,0,1,0],"probabilities":[[0.7,0.3],[0.4,0.6],[0.2,0.8],[0.9,0.1]],"weights":W}""",
            ["/v1/log-loss/calibration"] = """{"labels":[1,0,1,0],"probabilities":[0.3,0.6,0.8,0.1],"weights":W}""",
            ["/v1/log-loss/compare"] = """{"labels":[1,0,1,0],"weights":W,"models":[{"name":"a","probabilities":[0.3,0.6,0.8,0.1]},{"name":"b","probabilities":[0.4,0.5,0.7,0.3]}]}""",
        };
        string[] figures = ["meanLoss", "standardError", "decomposition.miscalibration", "expectedCalibrationError", "models.1.standardError", "comparisons.0.standardError", "comparisons.0.pValue"];

        foreach (var (path, body) in bodies)
        {
            var (reference, _) = await Ok(environment, path, body.Replace("W", Scaled(1)));
            var (scaled, _) = await Ok(environment, path, body.Replace("W", Scaled(scale)));

            foreach (var figure in figures.Where(f => reference.AsObject().ContainsKey(f.Split('.')[0])))
            {
                AssertRelative(Number(reference, figure), Number(scaled, figure), 1e-12, 1e-15);
            }

            if (reference["weightSum"] is not null)
            {
                AssertRelative(Number(reference, "weightSum") * scale, Number(scaled, "weightSum"));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Factories.Environments), MemberType = typeof(Factories))]
    public async Task Weights_whose_sum_is_beyond_the_double_range_are_scored_and_only_weight_sum_is_null(string environment)
    {
        var (body, _) = await Ok(environment, "/v1/log-loss", """{"labels":[0,1],"probabilities":[0.5,0.5],"weights":[1e308,1e308]}""");

        Assert.Null(body["weightSum"]);
        AssertRelative(Math.Log(2), Number(body, "meanLoss"));
        AssertRelative(0.5, Number(body, "entropy.baseRate"));
    }

    [Theory]
    [MemberData(nameof(Factories.Environments), MemberType = typeof(Factories))]
    public async Task A_forecast_one_ulp_below_a_bin_edge_is_in_the_lower_bin(string environment)
    {
        var (body, _) = await Ok(environment, "/v1/log-loss/calibration", """{"labels":[1,0,1],"probabilities":[0.8999999999999999,0.9,0.30000000000000004]}""");

        var bins = body["bins"]!.AsArray();
        Assert.Equal(1, bins[8]!["count"]!.GetValue<long>());
        Assert.Equal(0.8999999999999999, bins[8]!["meanForecast"]!.GetValue<double>());
        Assert.Equal(1, bins[9]!["count"]!.GetValue<long>());
        Assert.Equal(1, bins[3]!["count"]!.GetValue<long>());
    }

    [Theory]
    [MemberData(nameof(Factories.Environments), MemberType = typeof(Factories))]
    public async Task A_p_value_far_in_the_tail_keeps_its_digits(string environment)
    {
        // Model b's losses exceed a's by about 10.5 and 9.5 on two samples: z ≈ 20, where 2(1 − Φ(z)) is exactly 0.
        var a = Math.Exp(-1e-9);
        var body = $$$"""{"labels":[1,1],"models":[{"name":"a","probabilities":[{{{a:R}}},{{{a:R}}}]},{"name":"b","probabilities":[{{{Math.Exp(-10.5):R}}},{{{Math.Exp(-9.5):R}}}]}]}""";

        var (response, _) = await Ok(environment, "/v1/log-loss/compare", body);

        var z = Number(response, "comparisons.0.z");
        var p = Number(response, "comparisons.0.pValue");
        Assert.InRange(z, 19.9, 20.1);

        // Independent reference: the asymptotic series 2φ(z)/z · (1 − 1/z² + 3/z⁴ − 15/z⁶ + 105/z⁸), error below 945/z¹⁰.
        var series = 2 * Math.Exp(-z * z / 2) / (z * Math.Sqrt(2 * Math.PI)) * (1 - (1 / (z * z)) + (3 / Math.Pow(z, 4)) - (15 / Math.Pow(z, 6)) + (105 / Math.Pow(z, 8)));
        AssertRelative(series, p, 1e-9);
    }

    [Theory]
    [InlineData("Development", 1e-6, 5.7699540903004205e-06, 0.8472933021487004)]
    [InlineData("Production", 1e-8, 5.7699995408990264e-08, 0.8472978148042095)]
    [InlineData("Production", 1e8, 1.6424258464111903, 0.8028358434037204)]
    public async Task Logistic_regression_at_tiny_and_huge_c_matches_scikit_learn(string environment, double c, double coefficient, double intercept)
    {
        // Expected: scikit-learn 1.2.1, LogisticRegression(C=c, solver="newton-cholesky", tol=1e-10).
        var body = $$$"""{"x":[-2.2,-1.4,-0.8,0.2,0.4,0.8,1.2,2.2,2.9,4.6],"y":[0,0,1,0,1,1,1,1,1,1],"options":{"c":{{{c:R}}}}}""";

        var (response, _) = await Ok(environment, "/v1/logistic-regression", body);

        Assert.True(response["converged"]!.GetValue<bool>());
        AssertRelative(coefficient, Number(response, "coefficients.0"), 1e-6);
        AssertRelative(intercept, Number(response, "intercept"), 1e-6);
    }

    [Theory]
    [InlineData("Development", 0.1, 0.95)]
    [InlineData("Production", 0.1, 1.0)]
    [InlineData("Production", 1e-7, 1.0)]
    [InlineData("Development", 0.3, 0.05)]
    public async Task With_two_classes_the_multiclass_endpoint_clips_from_above_as_the_binary_one_does(string environment, double epsilon, double p)
    {
        var binary = $$$"""{"labels":[0,1],"probabilities":[{{{p:R}}},{{{p:R}}}],"options":{"epsilon":{{{epsilon:R}}}}}""";
        var multi = $$$"""{"labels":[0,1],"probabilities":[[{{{1 - p:R}}},{{{p:R}}}],[{{{1 - p:R}}},{{{p:R}}}]],"options":{"epsilon":{{{epsilon:R}}}}}""";

        var (b, _) = await Ok(environment, "/v1/log-loss", binary);
        var (m, _) = await Ok(environment, "/v1/log-loss/multiclass", multi);

        AssertRelative(Number(b, "meanLoss"), Number(m, "meanLoss"), 1e-12);
        AssertRelative(Number(b, "losses.0"), Number(m, "losses.0"), 1e-12);
        AssertRelative(Number(b, "losses.1"), Number(m, "losses.1"), 1e-12);
        Assert.Equal(2, m["clippedCount"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("/v1/log-loss", """{"labels":[1,1,1],"probabilities":[1,1,0.5]}""")]
    [InlineData("/v1/log-loss", """{"labels":[1,0],"logits":[1e308,-1e308]}""")]
    [InlineData("/v1/log-loss/multiclass", """{"labels":[1,1],"probabilities":[[0,1],[0,1]]}""")]
    [InlineData("/v1/log-loss/calibration", """{"labels":[1,1],"probabilities":[1,1]}""")]
    [InlineData("/v1/log-loss/compare", """{"labels":[1,1],"models":[{"name":"a","logits":[1e308,1e308]},{"name":"b","logits":[1e308,1e308]}]}""")]
    public async Task No_response_contains_negative_zero(string path, string body)
    {
        foreach (var environment in new[] { "Development", "Production" })
        {
            var (_, text) = await Ok(environment, path, body);

            Assert.DoesNotMatch(Http.NegativeZero(), text);
        }
    }

    [Fact]
    public async Task A_forecast_clipped_at_the_top_scores_exactly_minus_ln_epsilon_as_json_and_as_csv()
    {
        var client = Factories.For("Production").CreateClient();
        const string Body = """{"labels":[0],"probabilities":[1],"options":{"epsilon":1e-7}}""";

        var (json, _) = await Ok("Production", "/v1/log-loss", Body);
        using var content = new StringContent(Body, System.Text.Encoding.UTF8, "application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/log-loss") { Content = content };
        request.Headers.Accept.ParseAdd("text/csv");
        using var csv = await client.SendAsync(request);

        Assert.Equal(-Math.Log(1e-7), Number(json, "losses.0"));
        Assert.EndsWith("," + (-Math.Log(1e-7)).ToString("R", System.Globalization.CultureInfo.InvariantCulture) + "\n", await csv.Content.ReadAsStringAsync());
    }
}
