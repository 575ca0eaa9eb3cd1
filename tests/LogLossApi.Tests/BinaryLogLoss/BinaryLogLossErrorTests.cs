using System.Net;
using System.Text.Json.Nodes;

namespace LogLossApi.Tests;

/// <summary>Every error row of API.md that applies to /v1/log-loss, in Development and in Production.</summary>
public sealed class BinaryLogLossErrorTests
{
    /// <summary>Body, and the error keys the problem must name.</summary>
    public static TheoryData<string, string, string[]> BadBodies()
    {
        var cases = new (string Name, string Body, string[] Keys)[]
        {
            ("empty object", "{}", ["labels", "probabilities"]),
            ("empty labels", """{"labels":[],"probabilities":[]}""", ["labels"]),
            ("length mismatch", """{"labels":[0,1],"probabilities":[0.5]}""", ["probabilities"]),
            ("probability above 1", """{"labels":[0,1,1,0],"probabilities":[0.5,0.5,0.5,1.5]}""", ["probabilities[3]"]),
            ("negative probability", """{"labels":[0,1],"probabilities":[-0.1,0.5]}""", ["probabilities[0]"]),
            ("label above 1", """{"labels":[0,2],"probabilities":[0.5,0.5]}""", ["labels[1]"]),
            ("both predictions", """{"labels":[0,1],"probabilities":[0.5,0.5],"logits":[0,0]}""", ["logits"]),
            ("neither prediction", """{"labels":[0,1]}""", ["probabilities"]),
            ("weights length", """{"labels":[0,1],"probabilities":[0.5,0.5],"weights":[1]}""", ["weights"]),
            ("negative weight", """{"labels":[0,1],"probabilities":[0.5,0.5],"weights":[1,-1]}""", ["weights[1]"]),
            ("all-zero weights", """{"labels":[0,1],"probabilities":[0.5,0.5],"weights":[0,0]}""", ["weights"]),
            ("epsilon 0", """{"labels":[0,1],"probabilities":[0.5,0.5],"options":{"epsilon":0}}""", ["options.epsilon"]),
            ("epsilon 0.5", """{"labels":[0,1],"probabilities":[0.5,0.5],"options":{"epsilon":0.5}}""", ["options.epsilon"]),
            ("positive weight 0", """{"labels":[0,1],"probabilities":[0.5,0.5],"options":{"positiveWeight":0}}""", ["options.positiveWeight"]),
            ("label smoothing 1", """{"labels":[0,1],"probabilities":[0.5,0.5],"options":{"labelSmoothing":1}}""", ["options.labelSmoothing"]),
            ("unknown unit", """{"labels":[0,1],"probabilities":[0.5,0.5],"options":{"unit":"furlongs"}}""", ["options.unit"]),
            ("malformed JSON", """{"labels":[0,1],"probabilities":[0.5,0.5""", []),
            ("NaN literal", """{"labels":[0,NaN],"probabilities":[0.5,0.5]}""", ["labels[1]"]),
            ("NaN string", """{"labels":[0,1],"probabilities":[0.5,"NaN"]}""", ["probabilities[1]"]),
            ("Infinity string", """{"labels":[0,1],"logits":["Infinity",0]}""", ["logits[0]"]),
            ("number as string", """{"labels":[0,1],"probabilities":["0.5",0.5]}""", ["probabilities[0]"]),
            ("1e400", """{"labels":[0,1],"probabilities":[0.5,1e400]}""", ["probabilities[1]"]),
            ("-1e400 logit", """{"labels":[0,1],"logits":[-1e400,0]}""", ["logits[0]"]),
            ("unknown property", """{"labels":[0,1],"probabilites":[0.5,0.5]}""", ["probabilites"]),
            ("wrong case", """{"Labels":[0,1],"probabilities":[0.5,0.5]}""", ["Labels"]),
            ("duplicate property", """{"labels":[0,1],"labels":[1,0],"probabilities":[0.5,0.5]}""", ["labels"]),
            ("unknown option", """{"labels":[0,1],"probabilities":[0.5,0.5],"options":{"eps":0.1}}""", ["options.eps"]),
            ("array for object", """{"labels":[0,1],"probabilities":[0.5,0.5],"options":[]}""", ["options"]),
            ("top-level array", """[0,1]""", []),
            ("too deep", new string('[', 70) + new string(']', 70), []),
        };
        var data = new TheoryData<string, string, string[]>();
        foreach (var environment in new[] { "Development", "Production" })
        {
            foreach (var (name, body, keys) in cases)
            {
                data.Add($"{environment}: {name}", body, keys);
            }
        }

        return data;
    }

    [Theory]
    [InlineData("""{"labels":[0,1],"probabilities":[0.5,1e400]}""", "probabilities[1]", "1e400")]
    [InlineData("""{"labels":[0,1],"logits":[-1e400,0]}""", "logits[0]", "-1e400")]
    [InlineData("""{"labels":[0,1],"probabilities":[0.5,0.5],"options":{"epsilon":1e400}}""", "options.epsilon", "1e400")]
    public async Task A_number_beyond_double_range_carries_its_position_like_any_syntax_error(string body, string key, string token)
    {
        var (status, contentType, json, _) = await Http.PostJson(Factories.For("Production").CreateClient(), "/v1/log-loss", body);

        var problem = Http.AssertProblem(HttpStatusCode.BadRequest, status, contentType, json);
        var detail = problem["detail"]!.GetValue<string>();
        Assert.Contains($"'{key}'", detail, StringComparison.Ordinal);
        // The reader's position when it refused the token: at its end, or the byte after it.
        var start = body.IndexOf(token, StringComparison.Ordinal);
        Assert.Matches($@"\(line 1, byte ({start + token.Length}|{start + token.Length + 1})\)", detail);
        Assert.Contains("beyond the range of a double", problem["errors"]![key]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Score_returns_a_path_keyed_problem_for_bad_input(string name, string body, string[] keys)
    {
        var client = Factories.For(name.Split(':')[0]).CreateClient();

        var (status, contentType, json, _) = await Http.PostJson(client, "/v1/log-loss", body);

        var problem = Http.AssertProblem(HttpStatusCode.BadRequest, status, contentType, json);
        var errors = problem["errors"]?.AsObject();
        foreach (var key in keys)
        {
            Assert.True(errors?.ContainsKey(key) == true, $"{name}: no error for '{key}' in {problem.ToJsonString()}");
        }

        AssertNothingLeaks(problem.ToJsonString());
    }

    [Theory]
    [MemberData(nameof(Factories.Environments), MemberType = typeof(Factories))]
    public async Task Score_returns_problem_for_an_empty_body(string environment)
    {
        var client = Factories.For(environment).CreateClient();

        var (status, contentType, json, _) = await Http.PostJson(client, "/v1/log-loss", string.Empty);

        var problem = Http.AssertProblem(HttpStatusCode.BadRequest, status, contentType, json);
        Assert.Contains("empty", problem["detail"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [MemberData(nameof(Factories.Environments), MemberType = typeof(Factories))]
    public async Task Score_names_the_path_line_and_position_of_malformed_json(string environment)
    {
        var client = Factories.For(environment).CreateClient();

        var (status, contentType, json, _) = await Http.PostJson(client, "/v1/log-loss", "{\"labels\":[0,1],\n\"probabilities\":[0.5,tru]}");

        var problem = Http.AssertProblem(HttpStatusCode.BadRequest, status, contentType, json);
        var detail = problem["detail"]!.GetValue<string>();
        Assert.Contains("probabilities[1]", detail, StringComparison.Ordinal);
        Assert.Contains("line 2", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_names_the_element_of_malformed_json_in_a_body_too_large_to_copy()
    {
        // Over 32 MiB the body is parsed from the pipe's segments in place rather than copied into one buffer.
        const int Samples = 1_700_000;
        var body = new System.Text.StringBuilder("{\"labels\":[");
        body.AppendJoin(',', Enumerable.Repeat("1", Samples));
        body.Append("],\"probabilities\":[");
        body.AppendJoin(',', Enumerable.Repeat("0.12345678901234567", Samples - 1));
        body.Append(",0.5.1]}");
        Assert.True(body.Length > 32 * 1024 * 1024);
        var client = Factories.For("Production").CreateClient();

        var (status, contentType, json, _) = await Http.PostJson(client, "/v1/log-loss", body.ToString());

        var detail = Http.AssertProblem(HttpStatusCode.BadRequest, status, contentType, json)["detail"]!.GetValue<string>();
        Assert.Contains($"probabilities[{Samples - 1}]", detail, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Factories.Environments), MemberType = typeof(Factories))]
    public async Task Score_caps_errors_at_twenty_keys_and_counts_the_rest(string environment)
    {
        var labels = string.Join(',', Enumerable.Repeat("0", 100));
        var probabilities = string.Join(',', Enumerable.Repeat("2", 100));
        var client = Factories.For(environment).CreateClient();

        var (status, contentType, json, _) = await Http.PostJson(client, "/v1/log-loss", $$$"""{"labels":[{{{labels}}}],"probabilities":[{{{probabilities}}}],"options":{"epsilon":-1}}""");

        var errors = Http.AssertProblem(HttpStatusCode.BadRequest, status, contentType, json)["errors"]!.AsObject();
        Assert.Equal(21, errors.Count);
        Assert.Equal("probabilities[0]", errors.First().Key);
        Assert.Equal("and 81 more", errors["…"]![0]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Factories.Environments), MemberType = typeof(Factories))]
    public async Task Score_returns_415_for_a_non_json_content_type(string environment)
    {
        var client = Factories.For(environment).CreateClient();

        var (status, contentType, json, _) = await Http.PostJson(client, "/v1/log-loss", "label,probability\n1,0.5", "text/plain");

        Http.AssertProblem(HttpStatusCode.UnsupportedMediaType, status, contentType, json);
    }

    [Theory]
    [MemberData(nameof(Factories.Environments), MemberType = typeof(Factories))]
    public async Task Score_returns_405_for_get(string environment)
    {
        var client = Factories.For(environment).CreateClient();

        var response = await client.GetAsync("/v1/log-loss");

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        Http.AssertProblem(HttpStatusCode.MethodNotAllowed, response.StatusCode, response.Content.Headers.ContentType?.MediaType, body);
        Assert.Contains("POST", response.Content.Headers.Allow);
    }

    [Fact]
    public async Task Problem_trace_id_is_the_one_the_request_log_carries()
    {
        using var factory = new LogLossApiFactory();
        var client = factory.CreateClient();

        var (_, _, json, _) = await Http.PostJson(client, "/v1/log-loss", """{"labels":[0,1],"probabilities":[0.5,7]}""");

        var traceId = json!["traceId"]!.GetValue<string>();
        var requestLog = await factory.Logs.WaitFor(e => e.MessageTemplate.Text.StartsWith("HTTP ", StringComparison.Ordinal) && e.Properties["StatusCode"].ToString() == "400");
        Assert.Equal(traceId, requestLog.TraceId?.ToHexString());
    }

    [Fact]
    public async Task Problem_trace_id_continues_an_incoming_traceparent()
    {
        using var factory = new LogLossApiFactory();
        var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/log-loss")
        {
            Content = new StringContent("""{"labels":[0,1],"probabilities":[0.5,7]}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

        var response = await client.SendAsync(request);

        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", json!["traceId"]!.GetValue<string>());
        var requestLog = await factory.Logs.WaitFor(e => e.MessageTemplate.Text.StartsWith("HTTP ", StringComparison.Ordinal) && e.Properties["StatusCode"].ToString() == "400");
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", requestLog.TraceId?.ToHexString());
    }

    [Fact]
    public async Task Neither_responses_nor_logs_echo_the_payload()
    {
        using var factory = new LogLossApiFactory("Production", new Dictionary<string, string?>());
        var client = factory.CreateClient();
        const string Secret = "0.8765432101234";

        var bad = await Http.PostJson(client, "/v1/log-loss", $$"""{"labels":[0,1],"probabilities":[{{Secret}},1.5]}""");
        var malformed = await Http.PostJson(client, "/v1/log-loss", $$"""{"labels":[0,1],"probabilities":[{{Secret}},tru]}""");
        var good = await Http.PostJson(client, "/v1/log-loss", $$"""{"labels":[0,1],"probabilities":[{{Secret}},0.5]}""");

        Assert.Equal(HttpStatusCode.OK, good.Status);
        await factory.Logs.WaitFor(e => e.MessageTemplate.Text.StartsWith("HTTP ", StringComparison.Ordinal) && e.Properties["StatusCode"].ToString() == "200");
        Assert.DoesNotContain(Secret, bad.Body!.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, malformed.Body!.ToJsonString(), StringComparison.Ordinal);
        var logs = factory.Logs.RenderAll();
        Assert.Contains("/v1/log-loss", logs, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, logs, StringComparison.Ordinal);
        Assert.DoesNotContain("probabilities", logs, StringComparison.Ordinal);
    }

    private static void AssertNothingLeaks(string problem)
    {
        Assert.DoesNotContain("   at ", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("LogLossApi.", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", problem, StringComparison.Ordinal);
    }

}
