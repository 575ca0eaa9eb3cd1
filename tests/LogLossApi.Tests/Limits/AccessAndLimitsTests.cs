using System.Net;
using System.Text.Json.Nodes;
using LogLossApi.Testing;
using LogLossApi.Wire.Limits;
using Microsoft.Extensions.DependencyInjection;

namespace LogLossApi.Tests;

/// <summary>API keys, rate limiting, timeouts, the body memory budget, security headers, CORS and metrics, through HTTP.</summary>
public sealed class AccessAndLimitsTests
{
    private const string Key = "test-key-0123456789abcdef";
    private static readonly string Seed = Fixtures.Named("seed-example.json").Request.ToJsonString();

    [Fact]
    public async Task With_api_keys_a_request_without_a_key_gets_401_problem_and_a_challenge()
    {
        using var factory = new LogLossApiFactory("Production", new Dictionary<string, string?> { ["Auth:ApiKeys:0"] = Key });
        var client = factory.CreateClient();

        var (status, contentType, body, response) = await Http.PostJson(client, "/v1/log-loss", Seed);

        Http.AssertProblem(HttpStatusCode.Unauthorized, status, contentType, body);
        Assert.Contains("X-Api-Key", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_api_keys_a_wrong_key_is_refused_and_a_right_one_scores()
    {
        using var factory = new LogLossApiFactory("Production", new Dictionary<string, string?> { ["Auth:ApiKeys:0"] = "another-key-0123456789", ["Auth:ApiKeys:1"] = Key });
        var wrong = factory.CreateClient();
        wrong.DefaultRequestHeaders.Add("X-Api-Key", Key + "x");
        var right = factory.CreateClient();
        right.DefaultRequestHeaders.Add("X-Api-Key", Key);

        var refused = await Http.PostJson(wrong, "/v1/log-loss", Seed);
        var scored = await Http.PostJson(right, "/v1/log-loss", Seed);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
        Assert.Equal(HttpStatusCode.OK, scored.Status);
        Assert.Equal(0.3329114099503904, scored.Body!["meanLoss"]!.GetValue<double>(), 12);
    }

    [Fact]
    public async Task With_api_keys_health_and_metrics_stay_open_and_swagger_offers_the_key()
    {
        using var factory = new LogLossApiFactory("Production", new Dictionary<string, string?> { ["Auth:ApiKeys:0"] = Key });
        var client = factory.CreateClient();

        var live = await client.GetAsync("/health/live");
        var document = JsonNode.Parse(await client.GetStringAsync("/swagger/v1/swagger.json"))!;

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("X-Api-Key", document["components"]!["securitySchemes"]!["ApiKey"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void A_short_api_key_stops_the_service_from_starting()
    {
        using var factory = new LogLossApiFactory("Production", new Dictionary<string, string?> { ["Auth:ApiKeys:0"] = "short" });

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("ApiKeys", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rate_limit_gives_429_problem_with_retry_after()
    {
        using var factory = new LogLossApiFactory("Production", new Dictionary<string, string?>
        {
            ["RateLimiting:Enabled"] = "true",
            ["RateLimiting:PermitLimit"] = "2",
            ["RateLimiting:WindowSeconds"] = "60",
        });
        var client = factory.CreateClient();

        var first = await Http.PostJson(client, "/v1/log-loss", Seed);
        var second = await Http.PostJson(client, "/v1/log-loss", Seed);
        var third = await Http.PostJson(client, "/v1/log-loss", Seed);

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(HttpStatusCode.OK, second.Status);
        Http.AssertProblem(HttpStatusCode.TooManyRequests, third.Status, third.ContentType, third.Body);
        Assert.True(third.Response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }

    [Fact]
    public async Task Rate_limit_is_off_by_default()
    {
        using var factory = new LogLossApiFactory("Production", new Dictionary<string, string?>());
        var client = factory.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 30; i++)
        {
            statuses.Add((await Http.PostJson(client, "/v1/log-loss", Seed)).Status);
        }

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
    }

    [Fact]
    public async Task A_request_still_waiting_when_the_timeout_ends_gets_504_problem()
    {
        using var factory = new LogLossApiFactory("Production", new Dictionary<string, string?>
        {
            ["Limits:RequestTimeoutSeconds"] = "1",
            ["Limits:MaxConcurrentBodyBytes"] = "4194304",
            ["Limits:BodyQueueTimeoutMilliseconds"] = "10000",
        });
        var budget = factory.Services.GetRequiredService<BodyMemoryBudget>();
        using var held = await budget.TryReserveAsync(4194304, CancellationToken.None);
        var client = factory.CreateClient();

        var timedOut = await Http.PostJson(client, "/v1/log-loss", Seed);

        Http.AssertProblem(HttpStatusCode.GatewayTimeout, timedOut.Status, timedOut.ContentType, timedOut.Body);
    }

    [Fact]
    public async Task When_the_body_budget_is_spent_a_request_waits_then_gets_503_problem_with_retry_after()
    {
        using var factory = new LogLossApiFactory("Production", new Dictionary<string, string?>
        {
            ["Limits:MaxConcurrentBodyBytes"] = "4194304",
            ["Limits:BodyQueueTimeoutMilliseconds"] = "200",
        });
        var budget = factory.Services.GetRequiredService<BodyMemoryBudget>();
        using var held = await budget.TryReserveAsync(4194304, CancellationToken.None);
        var client = factory.CreateClient();

        var refused = await Http.PostJson(client, "/v1/log-loss", Seed);
        held!.Dispose();
        var accepted = await Http.PostJson(client, "/v1/log-loss", Seed);

        Http.AssertProblem(HttpStatusCode.ServiceUnavailable, refused.Status, refused.ContentType, refused.Body);
        Assert.True(refused.Response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(HttpStatusCode.OK, accepted.Status);
    }

    [Theory]
    [MemberData(nameof(Factories.Environments), MemberType = typeof(Factories))]
    public async Task Parsed_columns_are_charged_to_the_budget_and_a_request_that_outgrows_it_gets_503(string environment)
    {
        using var factory = new LogLossApiFactory(environment, new Dictionary<string, string?> { ["Limits:MaxConcurrentBodyBytes"] = "1048576" });
        var client = factory.CreateClient();
        var zeros = string.Join(',', Enumerable.Repeat("0", 200_000));
        var budget = factory.Services.GetRequiredService<BodyMemoryBudget>();

        // About 800 KB of body fits the 1 MiB budget; its two columns of 200,000 doubles (3.2 MB) do not.
        var refused = await Http.PostJson(client, "/v1/log-loss", $$"""{"labels":[{{zeros}}],"probabilities":[{{zeros}}]}""");
        var small = await Http.PostJson(client, "/v1/log-loss", Seed);

        Http.AssertProblem(HttpStatusCode.ServiceUnavailable, refused.Status, refused.ContentType, refused.Body);
        Assert.True(refused.Response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(HttpStatusCode.OK, small.Status);
        Assert.Equal(budget.Capacity, budget.Available);
    }

    [Fact]
    public async Task A_waiting_request_proceeds_when_room_is_released_in_time()
    {
        using var factory = new LogLossApiFactory("Production", new Dictionary<string, string?>
        {
            ["Limits:MaxConcurrentBodyBytes"] = "4194304",
            ["Limits:BodyQueueTimeoutMilliseconds"] = "5000",
        });
        var budget = factory.Services.GetRequiredService<BodyMemoryBudget>();
        var held = await budget.TryReserveAsync(4194304, CancellationToken.None);
        var client = factory.CreateClient();

        var pending = Http.PostJson(client, "/v1/log-loss", Seed);
        await Task.Delay(300);
        held!.Dispose();
        var result = await pending;

        Assert.Equal(HttpStatusCode.OK, result.Status);
    }

    [Fact]
    public async Task Every_response_carries_security_headers_and_html_a_content_security_policy()
    {
        using var factory = new LogLossApiFactory("Production", new Dictionary<string, string?>());
        var client = factory.CreateClient();

        var json = await Http.PostJson(client, "/v1/log-loss", Seed);
        var html = await client.GetAsync("/swagger/index.html");

        Assert.Equal("nosniff", json.Response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", json.Response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("default-src 'self'", html.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", html.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("https://notebooks.example", true)]
    public async Task Cors_is_closed_unless_origins_are_listed(string? allowed, bool expectAllowed)
    {
        using var factory = new LogLossApiFactory("Production", allowed is null ? new Dictionary<string, string?>() : new Dictionary<string, string?> { ["Cors:AllowedOrigins:0"] = allowed });
        var client = factory.CreateClient();
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/v1/log-loss");
        preflight.Headers.Add("Origin", "https://notebooks.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");

        var response = await client.SendAsync(preflight);

        Assert.Equal(expectAllowed, response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Metrics_report_request_durations_and_samples_scored_in_prometheus_format()
    {
        using var factory = new LogLossApiFactory("Production", new Dictionary<string, string?>());
        var client = factory.CreateClient();
        await Http.PostJson(client, "/v1/log-loss", Seed);
        await Http.PostJson(client, "/v1/log-loss", "{}");

        var text = string.Empty;
        for (var attempt = 0; attempt < 50 && !text.Contains("loglossapi_samples_scored", StringComparison.Ordinal); attempt++)
        {
            await Task.Delay(100);
            text = await client.GetStringAsync("/metrics");
        }

        Assert.Contains("http_server_request_duration_seconds_bucket", text, StringComparison.Ordinal);
        Assert.Matches("http_server_request_duration_seconds_count\\{[^}]*http_response_status_code=\"400\"[^}]*http_route=\"/v1/log-loss\"", text);
        // Meters are process-wide, so hosts of other tests running alongside may have added their samples too.
        var scored = System.Text.RegularExpressions.Regex.Match(text, "loglossapi_samples_scored_total\\{[^}]*http_route=\"/v1/log-loss\"[^}]*\\} (\\d+)");
        Assert.True(scored.Success, text);
        Assert.True(long.Parse(scored.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= 10);
        Assert.Contains("loglossapi_request_samples_bucket", text, StringComparison.Ordinal);

        // Every metric the README names is exported under that exact name (a counter's with its _total).
        var readme = await File.ReadAllTextAsync(Path.Combine(LogLossApi.Testing.Fixtures.RepositoryRoot, "README.md"));
        var named = System.Text.RegularExpressions.Regex.Matches(readme, "`(loglossapi_[a-z_]+)`").Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.NotEmpty(named);
        Assert.All(named, name => Assert.Matches($"(?m)^# TYPE {name} ", text));
    }
}
