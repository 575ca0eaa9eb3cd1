using System.Net;
using System.Text.Json.Nodes;
using LogLossApi.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LogLossApi.Tests;

/// <summary>
/// The start-up warm-up (<see cref="WarmUp"/>): readiness waits for it, every endpoint's warm-up request is answered
/// 200 (a refused one logs a warning, which would fail here), and it spends no request log line or metric.
/// </summary>
public sealed class WarmUpTests
{
    [Theory]
    [MemberData(nameof(Factories.Environments), MemberType = typeof(Factories))]
    public async Task Ready_comes_after_every_warm_up_request_was_answered_200(string environment)
    {
        using var factory = new LogLossApiFactory(environment, new Dictionary<string, string?> { ["WarmUp:Enabled"] = "true", ["WarmUp:Rounds"] = "2" });
        var client = factory.CreateClient();

        var ready = await WaitForReady(client);

        Assert.Equal("Healthy", ready["checks"]!["warm-up"]!.GetValue<string>());
        var declared = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.Sum(e => e.Metadata.GetMetadata<WarmUpMetadata>()?.Requests.Count ?? 0);
        Assert.True(declared >= 10, $"{declared} warm-up requests declared");
        var done = await factory.Logs.WaitFor(e => e.MessageTemplate.Text.StartsWith("Warmed up", StringComparison.Ordinal));
        Assert.Equal(declared.ToString(System.Globalization.CultureInfo.InvariantCulture), done.Properties["Requests"].ToString());
        Assert.DoesNotContain(factory.Logs.Events, e => e.MessageTemplate.Text.StartsWith("Warm-up request", StringComparison.Ordinal));
        Assert.DoesNotContain(factory.Logs.Events, e => e.Properties.TryGetValue("RequestPath", out var path) && path.ToString().Contains("/v1/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_the_warm_up_the_service_is_ready_at_once()
    {
        using var factory = new LogLossApiFactory("Production", new Dictionary<string, string?> { ["WarmUp:Enabled"] = "false" });

        var response = await factory.CreateClient().GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<JsonNode> WaitForReady(HttpClient client)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            var response = await client.GetAsync("/health/ready");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            }

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            await Task.Delay(100);
        }

        throw new TimeoutException("The service did not become ready within 60 s.");
    }
}
