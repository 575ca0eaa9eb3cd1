using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LogLossApi.Tests;

internal static partial class Http
{
    /// <summary>A JSON number token −0 (not −0.5, −0e1 or 10): what no response may contain.</summary>
    [GeneratedRegex(@"(?<![\d.eE])-0(?![\d.eE])")]
    public static partial Regex NegativeZero();

    public static async Task<(HttpStatusCode Status, string? ContentType, JsonNode? Body, HttpResponseMessage Response)> PostJson(HttpClient client, string path, string body, string contentType = "application/json")
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        var response = await client.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, text.Length == 0 ? null : JsonNode.Parse(text), response);
    }

    /// <summary>Posts a fixture's request to its endpoint, asserts 200 JSON equal to the fixture's expected body within its tolerances, and returns the body.</summary>
    public static async Task<JsonNode> PostFixture(HttpClient client, LogLossApi.Testing.Fixture fixture)
    {
        var (status, contentType, body, _) = await PostJson(client, fixture.Endpoint, fixture.Request.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/json", contentType);
        Assert.Empty(LogLossApi.Testing.JsonComparison.Differences(fixture.Expected, body, fixture.Relative, fixture.Absolute));
        return body!;
    }

    /// <summary>Asserts the RFC 9457 shape every error of the contract has, and returns the body.</summary>
    public static JsonObject AssertProblem(HttpStatusCode expected, HttpStatusCode status, string? contentType, JsonNode? body)
    {
        Assert.Equal(expected, status);
        Assert.Equal("application/problem+json", contentType);
        var problem = Assert.IsType<JsonObject>(body);
        Assert.False(string.IsNullOrWhiteSpace(problem["type"]?.GetValue<string>()));
        Assert.False(string.IsNullOrWhiteSpace(problem["title"]?.GetValue<string>()));
        Assert.Equal((int)expected, problem["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrWhiteSpace(problem["detail"]?.GetValue<string>()));
        Assert.Matches("^[0-9a-f]{32}$", problem["traceId"]!.GetValue<string>());
        return problem;
    }
}
