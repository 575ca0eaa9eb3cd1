using System.Net;
using System.Text.Json.Nodes;
using LogLossApi.Testing;
using LogLossApi.Wire.Limits;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LogLossApi.Tests;

public sealed class OperationsTests(LogLossApiFactory factory) : IClassFixture<LogLossApiFactory>
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_endpoints_answer_healthy_json(string path)
    {
        var client = factory.CreateClient();

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("Healthy", body["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Readiness_includes_the_scoring_self_check()
    {
        var client = factory.CreateClient();

        var body = JsonNode.Parse(await client.GetStringAsync("/health/ready"))!;

        Assert.Equal("Healthy", body["checks"]!["scoring"]!.GetValue<string>());
    }

    [Fact]
    public void Settings_come_from_the_repository_root_appsettings_json()
    {
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(Fixtures.RepositoryRoot, "appsettings.json")))!;
        var configuration = factory.Services.GetRequiredService<IConfiguration>();
        var limits = factory.Services.GetRequiredService<IOptions<LimitsOptions>>().Value;

        Assert.Equal(root["Limits"]!["MaxSamples"]!.ToJsonString(), configuration["Limits:MaxSamples"]);
        Assert.Equal(root["Limits"]!["MaxRequestBodyBytes"]!.GetValue<long>(), limits.MaxRequestBodyBytes);
        Assert.Equal("Warning", configuration["Serilog:MinimumLevel:Override:Microsoft"]);
    }

    [Fact]
    public async Task Swagger_document_describes_the_endpoint_with_the_seed_example()
    {
        var client = factory.CreateClient();

        var document = JsonNode.Parse(await client.GetStringAsync("/swagger/v1/swagger.json"))!;

        var operation = document["paths"]!["/v1/log-loss"]!["post"]!;
        Assert.False(string.IsNullOrWhiteSpace(operation["summary"]?.GetValue<string>()));
        var example = operation["requestBody"]!["content"]!["application/json"]!["example"]!;
        Assert.Equal(Fixtures.Named("seed-example.json").Request["labels"]!.ToJsonString(), example["labels"]!.ToJsonString());
        var responseExample = operation["responses"]!["200"]!["content"]!["application/json"]!["example"]!;
        Assert.Equal(0.3329114099503904, responseExample["meanLoss"]!.GetValue<double>(), 12);
        Assert.NotNull(operation["responses"]!["400"]);
        Assert.NotNull(operation["responses"]!["413"]);
        Assert.NotNull(operation["responses"]!["415"]);
    }

    [Fact]
    public async Task Every_field_of_every_state_is_described_so_a_client_could_merge_states_itself()
    {
        var document = JsonNode.Parse(await factory.CreateClient().GetStringAsync("/swagger/v1/swagger.json"))!;
        var schemas = document["components"]!["schemas"]!.AsObject();

        var states = document["paths"]!["/v1/log-loss/merge"]!["post"]!["requestBody"]!["content"]!["application/json"]!["schema"]!;
        var items = schemas[states["$ref"]!.GetValue<string>().Split('/')[^1]]!["properties"]!["states"]!["items"]!["oneOf"]!.AsArray();
        Assert.Equal(4, items.Count);
        string[] parts = ["BinaryLogLossState", "MulticlassLogLossState", "CalibrationState", "CalibrationBuckets", "ComparisonState", "ComparedModelState", "MomentsState", "MulticlassClassState", "DispersionState", "CompensatedValue"];
        foreach (var name in parts)
        {
            var schema = schemas[name]!;
            var properties = schema["properties"]!.AsObject();
            Assert.NotEmpty(properties);
            foreach (var (field, property) in properties)
            {
                Assert.True(property!["description"] is not null || property["$ref"] is not null || property["allOf"] is not null, $"{name}.{field} has no description");
            }
        }
    }

    [Fact]
    public async Task The_openapi_document_speaks_to_users_and_points_into_the_shipped_reference()
    {
        var document = await factory.CreateClient().GetStringAsync("/swagger/v1/swagger.json");

        Assert.DoesNotContain("contract", document, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("API.md", document, StringComparison.Ordinal);
        Assert.Contains("docs/api.md", document, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Swagger_can_send_csv_and_arrow_bodies_with_every_option_as_a_query_parameter()
    {
        var document = JsonNode.Parse(await factory.CreateClient().GetStringAsync("/swagger/v1/swagger.json"))!;

        foreach (var (path, options) in new[]
        {
            ("/v1/log-loss", new[] { "epsilon", "unit", "positiveWeight", "labelSmoothing", "includeLosses", "includeState" }),
            ("/v1/log-loss/calibration", new[] { "epsilon", "unit", "bins", "includeState", "stateBuckets" }),
            ("/v1/log-loss/chart", new[] { "epsilon", "unit", "includeLosses" }),
        })
        {
            var operation = document["paths"]![path]!["post"]!;
            var parameters = operation["parameters"]!.AsArray().Select(p => p!).Where(p => p["in"]!.GetValue<string>() == "query").ToList();
            foreach (var option in options)
            {
                var parameter = parameters.Single(p => p["name"]!.GetValue<string>() == option);
                Assert.Contains($"options.{option}", parameter["description"]!.GetValue<string>(), StringComparison.Ordinal);

                // Swagger UI would send a default beside a JSON body, where a query parameter is a 400.
                Assert.Null(parameter["schema"]!["default"]);
                Assert.NotNull(parameter["schema"]!["type"]);
            }

            var csv = operation["requestBody"]!["content"]!["text/csv"]!;
            Assert.StartsWith("label,probability\n0,0.18501694588837675\n", csv["example"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal("binary", operation["requestBody"]!["content"]!["application/vnd.apache.arrow.stream"]!["schema"]!["format"]!.GetValue<string>());
        }

        var kind = document["paths"]!["/v1/log-loss/chart"]!["post"]!["parameters"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "kind")!;
        Assert.Equal(["probabilities", "losses", "reliability", "lossbars", "labels", "sidebyside"], kind["schema"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal("probabilities", kind["schema"]!["default"]!.GetValue<string>());
    }

    [Fact]
    public async Task Swagger_ui_is_served()
    {
        var client = factory.CreateClient();

        var response = await client.GetAsync("/swagger/index.html");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("swagger-ui", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Swagger_can_be_turned_off()
    {
        using var off = new LogLossApiFactory("Production", new Dictionary<string, string?> { ["Features:SwaggerUi"] = "false" });
        var client = off.CreateClient();

        var ui = await client.GetAsync("/swagger/index.html");
        var document = await client.GetAsync("/swagger/v1/swagger.json");

        Assert.Equal(HttpStatusCode.NotFound, ui.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, document.StatusCode);
    }

    [Fact]
    public async Task Unknown_path_is_a_404_problem()
    {
        var client = factory.CreateClient();

        var response = await client.GetAsync("/v1/nothing-here");

        Http.AssertProblem(HttpStatusCode.NotFound, response.StatusCode, response.Content.Headers.ContentType?.MediaType, JsonNode.Parse(await response.Content.ReadAsStringAsync()));
    }

    [Theory]
    [MemberData(nameof(Factories.Environments), MemberType = typeof(Factories))]
    public async Task Too_many_samples_is_a_413_problem(string environment)
    {
        using var small = new LogLossApiFactory(environment, new Dictionary<string, string?> { ["Limits:MaxSamples"] = "5" });
        var client = small.CreateClient();

        var (status, contentType, body, _) = await Http.PostJson(client, "/v1/log-loss", Fixtures.Named("seed-example.json").Request.ToJsonString());

        var problem = Http.AssertProblem(HttpStatusCode.RequestEntityTooLarge, status, contentType, body);
        Assert.Contains("at most 5", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Factories.Environments), MemberType = typeof(Factories))]
    public async Task Body_over_the_byte_limit_is_a_413_problem(string environment)
    {
        using var small = new LogLossApiFactory(environment, new Dictionary<string, string?> { ["Limits:MaxRequestBodyBytes"] = "2048" });
        var client = small.CreateClient();
        var labels = string.Join(',', Enumerable.Repeat("0", 1000));

        var (status, contentType, body, _) = await Http.PostJson(client, "/v1/log-loss", $$"""{"labels":[{{labels}}],"probabilities":[{{labels}}]}""");

        Http.AssertProblem(HttpStatusCode.RequestEntityTooLarge, status, contentType, body);
    }

    [Fact]
    public void Invalid_limits_stop_the_service_from_starting()
    {
        using var broken = new LogLossApiFactory("Production", new Dictionary<string, string?> { ["Limits:MaxSamples"] = "0" });

        var error = Assert.ThrowsAny<Exception>(() => broken.CreateClient());

        Assert.Contains("MaxSamples", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Information", true)]
    [InlineData("Warning", false)]
    public async Task The_log_level_comes_from_configuration_not_from_the_build(string level, bool requestLogged)
    {
        using var configured = new LogLossApiFactory("Production", new Dictionary<string, string?> { ["Serilog:MinimumLevel:Default"] = level });
        var client = configured.CreateClient();

        var response = await client.GetAsync("/health/live");
        var scored = await Http.PostJson(client, "/v1/log-loss", Fixtures.Named("seed-example.json").Request.ToJsonString());
        // The request log is written after the response: wait for it, or long enough for it to have been written.
        var logged = await configured.Logs.WaitFor(e => e.MessageTemplate.Text.StartsWith("HTTP ", StringComparison.Ordinal), requestLogged ? 200 : 20)
            .ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, scored.Status);
        Assert.Equal(requestLogged, logged);
    }

    [Fact]
    public async Task Every_v1_operation_has_a_request_example_a_200_example_and_the_problem_responses()
    {
        var document = JsonNode.Parse(await factory.CreateClient().GetStringAsync("/swagger/v1/swagger.json"))!;

        var operations = document["paths"]!.AsObject().Where(p => p.Key.StartsWith("/v1/", StringComparison.Ordinal)).ToList();

        Assert.Equal(
            ["/v1/log-loss", "/v1/log-loss/calibration", "/v1/log-loss/chart", "/v1/log-loss/compare", "/v1/log-loss/merge", "/v1/log-loss/multiclass", "/v1/logistic-regression", "/v1/logistic-regression/chart"],
            operations.Select(o => o.Key).Order(StringComparer.Ordinal));
        foreach (var (path, item) in operations)
        {
            var post = item!["post"]!;
            Assert.True(post["requestBody"]!["content"]!["application/json"]!["example"] is JsonObject, path);
            var ok = post["responses"]!["200"]!["content"]!.AsObject();
            Assert.True(path.EndsWith("/chart", StringComparison.Ordinal) ? ok.ContainsKey("image/svg+xml") && ok.ContainsKey("image/png") : ok["application/json"]!["example"] is JsonObject, path);
            foreach (var status in new[] { "400", "413", "415", "429", "503" })
            {
                Assert.True(post["responses"]![status] is not null, $"{path} {status}");
            }
        }
    }

    [Fact]
    public async Task The_explainer_is_served_at_the_root_with_a_restrictive_csp_and_can_be_turned_off()
    {
        using var off = new LogLossApiFactory("Production", new Dictionary<string, string?> { ["Features:Explainer"] = "false" });

        var page = await factory.CreateClient().GetAsync("/");
        var script = await factory.CreateClient().GetAsync("/app.js");
        var gone = await off.CreateClient().GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Log loss, explained", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.DoesNotContain("http", (await page.Content.ReadAsStringAsync()).Replace("https://", "x", StringComparison.Ordinal).Split("<a href=")[0], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }
}
